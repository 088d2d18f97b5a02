/**
 * The model side of src/explore on a tiny random model (cpu backend): batched held-out scoring
 * against the per-sentence paths it replaces, per-pair gate gradients, head importance (scores,
 * pruning, progress, cancel), masked re-translation and the one-head walk-through.
 */
import { strict as assert } from 'node:assert';
import { tf } from '../../src/model/tf';
import { Transformer } from '../../src/model/transformer';
import { allHeadsOn, everyHead, headsOffMask } from '../../src/model/headMask';
import { ATTENTION_KINDS } from '../../src/decode/attentionMaps';
import { headGatesFromTensors } from '../../src/model/headGates';
import { greedyTranslate } from '../../src/decode/greedy';
import { evaluateRange } from '../../src/decode/evaluate';
import { maskedSoftmaxCELoss } from '../../src/train/loss';
import {
  HeldOutBatch,
  greedyBatch,
  heldOutBatch,
  heldOutHeadStats,
  heldOutPairs,
  scoreHeldOut,
} from '../../src/explore/heldOut';
import { gradientImportance, headImportance } from '../../src/explore/headImportance';
import { translateMasked } from '../../src/explore/maskedTranslate';
import { headWalkthrough } from '../../src/explore/headWalkthrough';
import { withInference } from '../../src/decode/stepDecode';
import { SRC_WORDS, TGT_WORDS, TINY_CONFIG, useCpuBackend, vocabOf } from '../helpers/tinyModel';

const src = vocabOf(SRC_WORDS);
const tgt = vocabOf(TGT_WORDS);
const NUM_STEPS = 6;
/** A corpus: 2 "training" lines, then held-out pairs (one with an unknown word, one too long). */
const CORPUS = [
  'Go.\tVa !',
  'I lost.\tJ’ai perdu.',
  "I'm home.\tJe suis .",
  "He's calm.\tJe suis calme.",
  'Go home.\tVa !',
  "I lost.\tJ'ai perdu .",
  "I'm calm, he's home, I lost.\tJe suis , j'ai perdu .",
  'Go.\tVa !',
].join('\n');
const TRAINED = 2;
const COUNT = 6;

describe('explore on the model (cpu)', () => {
  let model: Transformer;
  before(async () => {
    await useCpuBackend();
    model = new Transformer({ ...TINY_CONFIG, attentionFunction: 'dotProduct' }, 3);
  });
  after(() => model.dispose());
  const pairs = () => heldOutPairs(CORPUS, TRAINED, COUNT);

  it("batched greedy decoding gives greedyTranslate's tokens, sentence by sentence, masked too", () => {
    const masks = [
      undefined,
      headsOffMask(model.config, [{ kind: 'encoderSelf', layer: 0, head: 1 }]),
    ];
    for (const headMask of masks) {
      const batch = heldOutBatch(pairs(), src, tgt, NUM_STEPS);
      const got = withInference(model, { headMask }, (ctx) =>
        greedyBatch(model, batch, tgt, ctx, 'correct'),
      );
      batch.dispose();
      const want = pairs().source.map(
        (s) =>
          greedyTranslate(model, src, tgt, s.join(' '), { numSteps: NUM_STEPS, headMask }).tokens,
      );
      assert.deepEqual(got, want);
    }
  });

  it("held-out BLEU is evaluateRange's meanBleu2; the loss is the book's per-sequence loss", () => {
    const batch = heldOutBatch(pairs(), src, tgt, NUM_STEPS);
    const ctx = { training: false };
    const s = scoreHeldOut(model, batch, tgt, ctx, 'correct');
    const e = evaluateRange(model, src, tgt, CORPUS, TRAINED + 1, COUNT, NUM_STEPS);
    assert.equal(batch.size, e.count);
    assert.ok(Math.abs(s.bleu - e.meanBleu2) < 1e-12, `${s.bleu} vs ${e.meanBleu2}`);
    const t = batch.tensors;
    const want = tf.tidy(
      () =>
        maskedSoftmaxCELoss(
          model.apply(t.encX, t.encValidLens, t.decX, ctx).logits,
          t.labels,
          t.labelValidLens,
        )
          .mean()
          .dataSync()[0],
    );
    assert.ok(Math.abs(s.loss - want) < 1e-6, `${s.loss} vs ${want}`);
    batch.dispose();
  });

  /** The gradient of the summed loss with respect to gates shared by the batch: [kind][l][h]. */
  function sharedGateGradient(batch: HeldOutBatch): number[][][] {
    const { numLayers, numHeads } = model.config;
    const t = batch.tensors;
    return tf.tidy(() => {
      const gates = ATTENTION_KINDS.map(() => tf.ones([numLayers, numHeads]));
      const grads = tf.grads((...g: tf.Tensor[]) => {
        const perKind = Object.fromEntries(ATTENTION_KINDS.map((k, i) => [k, g[i]]));
        const ctx = { training: false, headGates: headGatesFromTensors(perKind) };
        const { logits } = model.apply(t.encX, t.encValidLens, t.decX, ctx);
        return tf.sum(maskedSoftmaxCELoss(logits, t.labels, t.labelValidLens));
      })(gates);
      return grads.map((g) => g.arraySync() as number[][]);
    });
  }

  it("gradient importance is the mean over pairs of each pair's own |dL/dξ|", () => {
    const all = pairs();
    const batch = heldOutBatch(all, src, tgt, NUM_STEPS);
    const importance = gradientImportance(model, batch);
    batch.dispose();
    // Pair by pair, with gates shared by a batch of one: |∂L(x_b)/∂ξ|, then the mean.
    const perPair = all.source.map((s, b) => {
      const one = heldOutBatch({ source: [s], target: [all.target[b]] }, src, tgt, NUM_STEPS);
      const g = sharedGateGradient(one);
      one.dispose();
      return g;
    });
    ATTENTION_KINDS.forEach((kind, i) =>
      importance[kind].forEach((row, l) =>
        row.forEach((imp, h) => {
          const want = perPair.reduce((sum, g) => sum + Math.abs(g[i][l][h]), 0) / perPair.length;
          assert.ok(Math.abs(imp - want) < 1e-5, `${kind} ${l} ${h}: ${imp} vs ${want}`);
        }),
      ),
    );
    assert.ok(ATTENTION_KINDS.some((k) => importance[k].flat().some((v) => v > 1e-4)));
  });

  it('scores every head alone and prunes by the chosen order, with progress; leaks nothing', async () => {
    const before = tf.memory().numTensors;
    const seen: number[] = [];
    const r = await headImportance(model, src, tgt, pairs(), {
      numSteps: NUM_STEPS,
      order: 'lossIncrease',
      onProgress: (p) => seen.push(p.done / p.total),
    });
    assert.equal(tf.memory().numTensors, before);
    const heads = everyHead(model.config);
    assert.equal(r.heads.length, heads.length);
    assert.equal(r.pruning.length, heads.length + 1);
    assert.deepEqual(
      seen,
      [...seen].sort((a, b) => a - b),
    );
    assert.equal(seen.at(-1), 1);
    const batch = heldOutBatch(pairs(), src, tgt, NUM_STEPS);
    const h = r.heads[5];
    const alone = withInference(model, { headMask: headsOffMask(model.config, [h]) }, (ctx) =>
      scoreHeldOut(model, batch, tgt, ctx, 'correct'),
    );
    batch.dispose();
    assert.equal(h.bleuDrop, r.baseline.bleu - alone.bleu);
    assert.equal(h.lossIncrease, alone.loss - r.baseline.loss);
    const sorted = [...r.heads].sort((a, b) => a.lossIncrease - b.lossIncrease);
    assert.deepEqual(
      r.pruning.slice(1).map((p) => p.head),
      sorted.map(({ kind, layer, head }) => ({ kind, layer, head })),
    );
    assert.equal(r.pruning[0].loss, r.baseline.loss);
  });

  it("averages per-head statistics over the pairs' teacher-forced maps", () => {
    const stats = heldOutHeadStats(model, src, tgt, pairs(), { numSteps: NUM_STEPS });
    const p = pairs();
    // Every real source position is a query row of encoder self-attention; every target step
    // (<eos> included, cut at numSteps) one of the decoder's.
    const srcRows = p.source.reduce((n, s) => n + Math.min(s.length + 1, NUM_STEPS), 0);
    const tgtRows = p.target.reduce((n, t) => n + Math.min(t.length + 1, NUM_STEPS), 0);
    for (const head of stats.encoderSelf.flat()) assert.equal(head.rows, srcRows);
    for (const head of stats.encoderDecoder.flat()) assert.equal(head.rows, tgtRows);
    for (const head of stats.decoderSelf.flat()) {
      assert.ok(head.entropy >= 0 && head.same + head.previous <= 1 + 1e-6);
    }
  });

  it("cancels at the next unit of work with the signal's reason, freeing its tensors", async () => {
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const reason = new Error('stopped by the user');
    const run = headImportance(model, src, tgt, pairs(), {
      numSteps: NUM_STEPS,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.done === 3) controller.abort(reason);
      },
    });
    await assert.rejects(run, (e) => e === reason);
    assert.equal(tf.memory().numTensors, before);
  });

  it('masked re-translation: ones change nothing; heads off compare with the original', () => {
    const sentence = "i'm calm .";
    const original = greedyTranslate(model, src, tgt, sentence, { numSteps: NUM_STEPS });
    const base = {
      sentence,
      numSteps: NUM_STEPS,
      original: original.tokens,
      reference: 'je suis .',
    };
    const same = translateMasked(model, src, tgt, { ...base, mask: allHeadsOn(model.config) });
    assert.deepEqual(same.translation, original);
    assert.ok(same.changes.every((c) => c.op === 'same'));
    assert.equal(same.off.length, 0);
    assert.equal(typeof same.bleu, 'number');
    const off = everyHead(model.config);
    const masked = translateMasked(model, src, tgt, {
      ...base,
      mask: headsOffMask(model.config, off),
    });
    assert.equal(masked.off.length, off.length);
    const kept = (op: string) => masked.changes.filter((c) => c.op !== op).map((c) => c.token);
    assert.deepEqual(kept('added'), original.tokens);
    assert.deepEqual(kept('removed'), masked.translation.tokens);
    assert.throws(
      () =>
        translateMasked(model, src, tgt, {
          ...base,
          mask: allHeadsOn({ numLayers: 1, numHeads: 2 }),
        }),
      /encoderSelf must have 2 layers/,
    );
  });

  for (const fn of ['dotProduct', 'additive'] as const) {
    it(`one head step by step: the weights are the heatmap's row (${fn}), every kind`, () => {
      const m = new Transformer({ ...TINY_CONFIG, attentionFunction: fn }, 5);
      try {
        for (const kind of ATTENTION_KINDS) {
          const req = {
            sentence: 'i lost home .',
            numSteps: NUM_STEPS,
            kind,
            layer: 1,
            head: 1,
            query: 1,
          };
          const w = headWalkthrough(m, src, tgt, req);
          assert.equal(w.scoring, fn);
          assert.deepEqual(w.weights, w.translation.attention[kind][1][1][1]);
          w.softmax.forEach((p, j) =>
            assert.ok(Math.abs(p - (w.weights[j] ?? 0)) < 1e-6, `${kind} ${j}`),
          );
          w.output.forEach((o, i) =>
            assert.ok(Math.abs(o - w.modelOutput[i]) < 1e-5, `${kind} out ${i}`),
          );
          assert.equal(w.keys.length, w.keyTokens.length);
          assert.equal(w.gate, 1);
        }
        const off = headsOffMask(m.config, [{ kind: 'decoderSelf', layer: 1, head: 1 }]);
        const req = {
          sentence: 'go .',
          numSteps: NUM_STEPS,
          kind: 'decoderSelf' as const,
          layer: 1,
          head: 1,
          query: 0,
        };
        assert.equal(headWalkthrough(m, src, tgt, { ...req, headMask: off }).gate, 0);
        assert.throws(() => headWalkthrough(m, src, tgt, { ...req, query: 99 }), RangeError);
        assert.throws(
          () => headWalkthrough(m, src, tgt, { ...req, head: 2 }),
          /head 2 is not in 0..1/,
        );
      } finally {
        m.dispose();
      }
    });
  }
});
