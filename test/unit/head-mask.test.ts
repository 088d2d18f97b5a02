/**
 * The head mask as a model input (model/headMask.ts, model/headGates.ts): a mask of ones gives
 * the unmasked outputs bit for bit on every path (teacher forcing, greedy, beam, capture) and
 * both attention functions; a head that is off changes what follows it and nothing before it;
 * the Tape records the gated path's gradient as tfjs autodiff does; bad masks are refused.
 * The numbers themselves are parity-tested against PyTorch in test/parity/head-mask.test.ts.
 */
import { strict as assert } from 'node:assert';
import { tf, Tensor } from '../../src/model/tf';
import { Transformer } from '../../src/model/transformer';
import { ForwardPass } from '../../src/model/context';
import { Tape } from '../../src/model/tape';
import { selectBackend } from '../../src/backend/backend';
import {
  allHeadsOn,
  checkHeadMask,
  everyHead,
  headsOff,
  headsOffMask,
  masksAnything,
  masksEncoder,
} from '../../src/model/headMask';
import { HeadGates, disposeHeadGates, headGatesOf } from '../../src/model/headGates';
import { maskedSoftmaxCELoss, maskedSoftmaxCELossSum } from '../../src/train/loss';
import { greedyTranslate } from '../../src/decode/greedy';
import { beamTranslate } from '../../src/decode/beam';
import { captureTeacherForced } from '../../src/decode/teacherForced';
import { readFixture } from '../helpers/fixtures';
import { ModelFixture, fixtureInputs, modelFromFixture } from '../helpers/parityModel';
import { SRC_WORDS, TGT_WORDS, TINY_CONFIG, vocabOf } from '../helpers/tinyModel';

const fx = readFixture<ModelFixture>('parity-dot.json');
const fixtures = {
  dotProduct: fx,
  additive: readFixture<ModelFixture>('parity-additive-model.json'),
};
const GRID = { numLayers: 2, numHeads: 4 };

/** Every output of a teacher-forced pass as plain arrays (bit-exact comparison). */
function forward(model: Transformer, headGates?: HeadGates) {
  return tf.tidy(() => {
    const x = fixtureInputs(fx); // the same batch in both fixtures
    const out = model.apply(x.encX, x.encValidLens, x.decX, { training: false, headGates });
    const read = (ts: Tensor[]) => ts.map((t) => Array.from(t.dataSync()));
    return {
      logits: Array.from(out.logits.dataSync()),
      enc: read(out.encoderWeights),
      self: read(out.decoderSelfWeights),
      cross: read(out.crossWeights),
    };
  });
}

function withGates<T>(model: Transformer, mask = allHeadsOn(GRID), fn: (g: HeadGates) => T): T {
  const gates = headGatesOf(model.config, mask);
  try {
    return fn(gates);
  } finally {
    disposeHeadGates(gates);
  }
}

for (const backend of ['cpu', 'wasm'] as const) {
  for (const fn of ['dotProduct', 'additive'] as const) {
    describe(`head mask in the model (${fn}, ${backend})`, () => {
      let model: Transformer;
      before(async () => {
        assert.equal((await selectBackend(backend)).name, backend);
        model = modelFromFixture(fixtures[fn], { attentionFunction: fn });
      });
      after(() => model.dispose());

      it('a mask of ones gives every output bit for bit (teacher forcing)', () => {
        const plain = forward(model);
        const ones = withGates(model, undefined, (g) => forward(model, g));
        assert.deepEqual(ones, plain);
      });

      it('a head off changes its own layer only after W_o: its weights stay, later ones move', () => {
        const plain = forward(model);
        const mask = headsOffMask(GRID, [{ kind: 'encoderSelf', layer: 0, head: 1 }]);
        const off = withGates(model, mask, (g) => forward(model, g));
        assert.deepEqual(off.enc[0], plain.enc[0], 'layer 0 weights are computed before the gate');
        assert.notDeepEqual(off.enc[1], plain.enc[1], 'layer 1 sees the changed stream');
        assert.notDeepEqual(off.logits, plain.logits);
      });

      it('a decoder head off leaves the encoder alone', () => {
        const plain = forward(model);
        const mask = headsOffMask(GRID, [{ kind: 'encoderDecoder', layer: 1, head: 3 }]);
        const off = withGates(model, mask, (g) => forward(model, g));
        assert.deepEqual(off.enc, plain.enc);
        assert.deepEqual(off.self, plain.self);
        assert.deepEqual(off.cross, plain.cross, 'the last layer: its weights come before W_o');
        assert.notDeepEqual(off.logits, plain.logits);
      });
    });
  }

  describe(`head mask on the decoding paths (${backend})`, () => {
    const srcVocab = vocabOf(SRC_WORDS);
    const tgtVocab = vocabOf(TGT_WORDS);
    const grid = { numLayers: TINY_CONFIG.numLayers, numHeads: TINY_CONFIG.numHeads };
    let model: Transformer;
    before(async () => {
      assert.equal((await selectBackend(backend)).name, backend);
      model = new Transformer({ ...TINY_CONFIG, dropout: 0 }, 3);
    });
    after(() => model.dispose());
    const opts = { numSteps: 8 };

    it('greedy, beam and teacher-forced capture: ones change nothing, leak nothing', () => {
      const ones = allHeadsOn(grid);
      const before = tf.memory().numTensors;
      for (const s of ['i lost .', "he's calm .", 'go .']) {
        const g = greedyTranslate(model, srcVocab, tgtVocab, s, opts);
        assert.deepEqual(
          greedyTranslate(model, srcVocab, tgtVocab, s, { ...opts, headMask: ones }),
          g,
        );
        const b = beamTranslate(model, srcVocab, tgtVocab, s, { ...opts, beamSize: 3 });
        const bOnes = { ...opts, beamSize: 3, headMask: ones };
        assert.deepEqual(beamTranslate(model, srcVocab, tgtVocab, s, bOnes), b);
        const c = captureTeacherForced(model, srcVocab, tgtVocab, s, "j'ai perdu .", 8);
        const cOnes = captureTeacherForced(model, srcVocab, tgtVocab, s, "j'ai perdu .", 8, {
          headMask: ones,
        });
        assert.deepEqual(cOnes, c);
      }
      assert.equal(tf.memory().numTensors, before, 'tensors leaked');
    });

    it('beam 1 with heads off is greedy with the same heads off; the mask changes attention', () => {
      const mask = headsOffMask(grid, [
        { kind: 'encoderSelf', layer: 0, head: 0 },
        { kind: 'decoderSelf', layer: 1, head: 1 },
        { kind: 'encoderDecoder', layer: 0, head: 1 },
      ]);
      const s = "i'm home .";
      const g = greedyTranslate(model, srcVocab, tgtVocab, s, { ...opts, headMask: mask });
      const b = beamTranslate(model, srcVocab, tgtVocab, s, {
        ...opts,
        beamSize: 1,
        headMask: mask,
      });
      assert.deepEqual(b.tokens, g.tokens);
      assert.deepEqual(b.attention, g.attention);
      const plain = greedyTranslate(model, srcVocab, tgtVocab, s, opts);
      assert.deepEqual(g.attention.encoderSelf[0], plain.attention.encoderSelf[0]);
      assert.notDeepEqual(g.attention.encoderSelf[1], plain.attention.encoderSelf[1]);
    });
  });

  describe(`the gate on the training Tape (${backend})`, () => {
    before(async () => {
      assert.equal((await selectBackend(backend)).name, backend);
    });

    it('records the gradient tfjs autodiff computes through the gated path', () => {
      const model = modelFromFixture(fx);
      const mask = headsOffMask(GRID, [
        { kind: 'encoderSelf', layer: 1, head: 2 },
        { kind: 'decoderSelf', layer: 0, head: 0 },
        { kind: 'encoderDecoder', layer: 1, head: 3 },
      ]);
      mask.encoderSelf[0][3] = 0.5; // a scaled head too
      try {
        withGates(model, mask, (headGates) =>
          tf.tidy(() => {
            const x = fixtureInputs(fx);
            const vars = model.params.variables();
            const tape = new Tape();
            const pass = ForwardPass.of({ training: true, tape, headGates });
            const { logits } = model.apply(x.encX, x.encValidLens, x.decX, pass);
            const loss = maskedSoftmaxCELossSum(
              logits,
              x.labels,
              x.labelValidLens,
              tape,
              pass.timeMajor,
            );
            tape.backward(loss, tf.onesLike(loss));
            const auto = tf.variableGrads(() => {
              const out = model.apply(x.encX, x.encValidLens, x.decX, {
                training: true,
                headGates,
              });
              return tf.sum(
                maskedSoftmaxCELoss(out.logits, x.labels, x.labelValidLens),
              ) as tf.Scalar;
            }, vars);
            for (const v of vars) {
              const a = auto.grads[v.name].dataSync();
              const t = tape.gradOf(v)!.dataSync();
              let err = 0;
              let scale = 0;
              a.forEach((g, i) => {
                err = Math.max(err, Math.abs(g - t[i]));
                scale = Math.max(scale, Math.abs(g));
              });
              assert.ok(err <= 1e-4 * Math.max(scale, 1e-3), `${v.name}: ${err} of ${scale}`);
            }
          }),
        );
      } finally {
        model.dispose();
      }
    });
  });
}

describe('head masks as plain data', () => {
  it('headsOffMask and headsOff are inverse; everyHead lists kind, layer, head', () => {
    const off = [
      { kind: 'encoderSelf' as const, layer: 1, head: 0 },
      { kind: 'encoderDecoder' as const, layer: 0, head: 3 },
    ];
    const mask = headsOffMask(GRID, off);
    assert.deepEqual(headsOff(mask), off);
    assert.equal(everyHead(GRID).length, 24);
    assert.deepEqual(everyHead(GRID)[5], { kind: 'encoderSelf', layer: 1, head: 1 });
    assert.ok(masksAnything(mask) && masksEncoder(mask));
    assert.ok(!masksAnything(allHeadsOn(GRID)) && !masksAnything(undefined));
    assert.ok(!masksEncoder(headsOffMask(GRID, [off[1]])));
  });

  it('refuses heads and masks that do not fit the model, naming the problem', () => {
    assert.throws(
      () => headsOffMask(GRID, [{ kind: 'encoderSelf', layer: 2, head: 0 }]),
      /layer 2/,
    );
    assert.throws(() => headsOffMask(GRID, [{ kind: 'encoderSelf', layer: 0, head: 4 }]), /head 4/);
    const bad = { kind: 'cross', layer: 0, head: 0 } as unknown as never;
    assert.throws(() => headsOffMask(GRID, [bad]), /unknown attention kind "cross"/);
    const short = allHeadsOn(GRID);
    short.decoderSelf.pop();
    assert.throws(() => checkHeadMask(GRID, short), /decoderSelf must have 2 layers/);
    const nan = allHeadsOn(GRID);
    nan.encoderDecoder[1][2] = NaN;
    assert.throws(() => checkHeadMask(GRID, nan), /encoderDecoder layer 1 head 2 is not a number/);
    const model = new Transformer(TINY_CONFIG);
    try {
      assert.throws(() => headGatesOf(model.config, allHeadsOn(GRID)), /must have 2 heads/);
    } finally {
      model.dispose();
    }
  });
});
