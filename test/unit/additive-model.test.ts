/**
 * The Transformer with the book's AdditiveAttention in every MultiHeadAttention
 * (attentionFunction 'additive'): parameter names, training on the Tape, attention capture, the
 * setting's path through hyperparameters, checkpoints and the thread choice.
 */
import { strict as assert } from 'node:assert';
import { loadCheckpoint, saveCheckpoint } from '../../src/checkpoint/checkpoint';
import { modelConfigOf } from '../../src/config/modelConfig';
import { AttentionGrid, gridShape } from '../../src/decode/attentionMaps';
import { greedyTranslate } from '../../src/decode/greedy';
import { captureTeacherForced } from '../../src/decode/teacherForced';
import { epochBatches } from '../../src/data/batches';
import { loadDataNmt } from '../../src/data/nmtDataset';
import { batchTensors } from '../../src/train/batch';
import { tf } from '../../src/model/tf';
import { Transformer } from '../../src/model/transformer';
import { trainingThreads } from '../../src/train/threads';
import { batchLoss, tapeGradients } from '../../src/train/trainStep';
import { EpochReport, trainModel } from '../../src/train/trainer';
import { Rng } from '../../src/util/rng';
import { assertClose } from '../helpers/fixtures';
import { sharedCorpusHead } from '../helpers/sharedCorpus';
import { TempDirs } from '../helpers/tempDir';
import {
  SRC_WORDS,
  TGT_WORDS,
  TINY_CONFIG,
  TINY_HYPERPARAMETERS,
  useCpuBackend,
  vocabOf,
} from '../helpers/tinyModel';

const NUM_STEPS = 8;
const ADDITIVE = { ...TINY_CONFIG, attentionFunction: 'additive' as const };

/** Every row of every (layer, head) block sums to 1 over its unmasked keys. */
function assertRowsSumToOne(grid: AttentionGrid, what: string): void {
  for (const layer of grid) {
    for (const head of layer) {
      for (const [q, row] of head.entries()) {
        const s = row.reduce<number>((a, b) => a + (b ?? 0), 0);
        assert.ok(Math.abs(s - 1) < 1e-5, `${what} query ${q} sums to ${s}`);
        for (const w of row) assert.ok(w === null || (w >= 0 && w <= 1), `${what}: ${w}`);
      }
    }
  }
}

describe('Transformer with additive attention', () => {
  const temp = new TempDirs();
  before(useCpuBackend);
  after(() => temp.cleanup());

  it("adds the book's AdditiveAttention(d, d, d) to every attention layer, named as in PyTorch", () => {
    const dot = new Transformer(TINY_CONFIG, 0);
    const model = new Transformer(ADDITIVE, 0);
    try {
      const d = TINY_CONFIG.numHiddens / TINY_CONFIG.numHeads;
      const extra = model.params.names().filter((n) => !dot.params.names().includes(n));
      const layers = ['encoder.blks.block0.attention', 'encoder.blks.block1.attention'];
      for (let i = 0; i < TINY_CONFIG.numLayers; i++) {
        layers.push(`decoder.blks.block${i}.attention1`, `decoder.blks.block${i}.attention2`);
      }
      const expected = layers.flatMap((l) =>
        ['W_k', 'W_q', 'w_v'].map((w) => `${l}.attention.${w}.weight`),
      );
      assert.deepEqual([...extra].sort(), [...expected].sort());
      assert.ok(
        model.params.names().includes('encoder.blks.block0.attention.attention.W_k.weight'),
      );
      const at = (n: string) => model.params.get(n).shape;
      assert.deepEqual(at('encoder.blks.block0.attention.attention.W_k.weight'), [d, d]);
      assert.deepEqual(at('decoder.blks.block1.attention2.attention.W_q.weight'), [d, d]);
      assert.deepEqual(at('decoder.blks.block0.attention1.attention.w_v.weight'), [1, d]);
      // PyTorch registers `self.attention` before W_q: its weights come first in the layer.
      const names = model.params.names();
      assert.ok(
        names.indexOf('encoder.blks.block0.attention.attention.w_v.weight') <
          names.indexOf('encoder.blks.block0.attention.W_q.weight'),
      );
      assert.equal(model.params.count(), dot.params.count() + layers.length * (2 * d * d + d));
      // The dot-product model is as before (no parameters named `.attention.attention.`).
      assert.ok(!dot.params.names().some((n) => n.includes('.attention.attention.')));
    } finally {
      dot.dispose();
      model.dispose();
    }
  });

  it('trains on the Tape: the loss and gradients of tf.variableGrads (same dropout masks)', () => {
    const model = new Transformer({ ...ADDITIVE, dropout: 0.2 }, 3);
    try {
      assert.ok(vocabOf(SRC_WORDS).size <= ADDITIVE.srcVocabSize);
      tf.tidy(() => {
        const ids = (rows: number[][]) => tf.tensor2d(rows, undefined, 'int32');
        const t = {
          encX: ids([
            [4, 5, 3, 1],
            [6, 3, 1, 1],
          ]),
          encValidLens: tf.tensor1d([3, 2], 'int32'),
          decX: ids([
            [2, 4, 5, 3],
            [2, 6, 3, 1],
          ]),
          labels: ids([
            [4, 5, 3, 1],
            [6, 3, 1, 1],
          ]),
          labelValidLens: tf.tensor1d([3, 2], 'int32'),
        };
        const { loss, grads } = tapeGradients(model, t, new Rng(5));
        const vars = model.params.variables();
        const expected = tf.variableGrads(
          () => batchLoss(model, t, { training: true, rng: new Rng(5) }) as tf.Scalar,
          vars,
        );
        assertClose([loss.dataSync()[0]], [expected.value.dataSync()[0]], 1e-6, 'loss');
        const names = model.params.names();
        vars.forEach((v, i) => {
          assert.deepEqual(grads[i].shape, v.shape);
          assertClose(grads[i].dataSync(), expected.grads[v.name].dataSync(), 1e-5, names[i]);
        });
        const wk = names.indexOf('encoder.blks.block0.attention.attention.W_k.weight');
        assert.ok(wk >= 0);
        assert.ok(
          grads[wk].dataSync().some((x) => x !== 0),
          'the additive weights get a gradient',
        );
      });
    } finally {
      model.dispose();
    }
  });

  it('lowers the loss over 10 epochs without leaking tensors', async () => {
    const data = loadDataNmt(sharedCorpusHead(40), { numExamples: 32, numSteps: NUM_STEPS });
    const model = new Transformer(
      {
        ...ADDITIVE,
        srcVocabSize: data.srcVocab.size,
        tgtVocabSize: data.tgtVocab.size,
      },
      0,
    );
    const rng = new Rng(1);
    const reports: EpochReport[] = [];
    const counts: number[] = [];
    try {
      const before = tf.memory().numTensors;
      const summary = await trainModel(
        {
          model,
          numSteps: NUM_STEPS,
          bos: data.tgtVocab.bos,
          learningRate: 0.01,
          numEpochs: 10,
          batches: () => epochBatches({ src: data.src, tgt: data.tgt }, 16, rng),
          rng,
        },
        {
          onEpoch: (r) => {
            reports.push(r);
            counts.push(tf.memory().numTensors);
          },
        },
      );
      assert.equal(summary.epochsCompleted, 10);
      const first = reports[0].lossPerToken;
      const last = reports[9].lossPerToken;
      assert.ok(Number.isFinite(last), `loss ${last}`);
      assert.ok(last < first * 0.8, `loss ${first} -> ${last}`);
      assert.ok(
        counts.every((c) => c === counts[0]),
        `tensors per epoch: ${counts.join(' ')}`,
      );
      assert.equal(tf.memory().numTensors, before, 'trainModel leaves no tensor behind');
    } finally {
      model.dispose();
    }
  });

  it('captures attention (greedy and teacher-forced) with rows that sum to 1', () => {
    const srcVocab = vocabOf(SRC_WORDS);
    const tgtVocab = vocabOf(TGT_WORDS);
    const model = new Transformer(
      { ...ADDITIVE, srcVocabSize: srcVocab.size, tgtVocabSize: tgtVocab.size },
      1,
    );
    try {
      const before = tf.memory().numTensors;
      const t = greedyTranslate(model, srcVocab, tgtVocab, 'i lost .', { numSteps: NUM_STEPS });
      const a = t.attention;
      const steps = a.targetInputTokens.length;
      assert.ok(steps >= 1);
      const { numLayers: L, numHeads: H } = ADDITIVE;
      assert.deepEqual(gridShape(a.encoderSelf), [L, H, NUM_STEPS, NUM_STEPS]);
      assert.deepEqual(gridShape(a.decoderSelf), [L, H, steps, steps]);
      assert.deepEqual(gridShape(a.encoderDecoder), [L, H, steps, NUM_STEPS]);
      assertRowsSumToOne(a.encoderSelf, 'greedy encoderSelf');
      assertRowsSumToOne(a.decoderSelf, 'greedy decoderSelf');
      assertRowsSumToOne(a.encoderDecoder, 'greedy encoderDecoder');
      // Padded source keys get no weight.
      for (const row of a.encoderDecoder[0][0]) {
        for (let k = a.sourceValidLen; k < NUM_STEPS; k++) assert.equal(row[k], null);
      }
      const m = captureTeacherForced(
        model,
        srcVocab,
        tgtVocab,
        "i'm home .",
        'je suis .',
        NUM_STEPS,
      );
      assertRowsSumToOne(m.encoderSelf, 'teacher-forced encoderSelf');
      assertRowsSumToOne(m.decoderSelf, 'teacher-forced decoderSelf');
      assertRowsSumToOne(m.encoderDecoder, 'teacher-forced encoderDecoder');
      assert.equal(gridShape(m.encoderDecoder)[0], L);
      assert.equal(tf.memory().numTensors, before, 'capture leaves no tensor behind');
    } finally {
      model.dispose();
    }
  });

  it('saves and loads the setting with the checkpoint; an old checkpoint reads as dotProduct', async () => {
    {
      const dir = temp.make();
      const srcVocab = vocabOf(SRC_WORDS);
      const tgtVocab = vocabOf(TGT_WORDS);
      const h = { ...TINY_HYPERPARAMETERS, attentionFunction: 'additive' as const };
      const model = new Transformer(modelConfigOf(h, srcVocab.size, tgtVocab.size), 2);
      assert.equal(model.config.attentionFunction, 'additive');
      try {
        await saveCheckpoint(dir, model, srcVocab, tgtVocab, h);
        const ck = await loadCheckpoint(dir, h);
        try {
          assert.equal(ck.hyperparameters.attentionFunction, 'additive');
          assert.equal(ck.model.config.attentionFunction, 'additive');
          assert.deepEqual(ck.model.params.names(), model.params.names());
        } finally {
          ck.model.dispose();
        }
        await assert.rejects(
          loadCheckpoint(dir, { ...h, attentionFunction: 'dotProduct' }),
          /attentionFunction: checkpoint additive, expected dotProduct/,
        );
      } finally {
        model.dispose();
      }
      // A checkpoint written before the setting existed: no key, a dot-product model.
      const dot = new Transformer(
        modelConfigOf(TINY_HYPERPARAMETERS, srcVocab.size, tgtVocab.size),
        2,
      );
      try {
        const legacy: Record<string, unknown> = { ...TINY_HYPERPARAMETERS };
        delete legacy.attentionFunction;
        await saveCheckpoint(
          dir,
          dot,
          srcVocab,
          tgtVocab,
          legacy as unknown as typeof TINY_HYPERPARAMETERS,
        );
        const ck = await loadCheckpoint(dir, TINY_HYPERPARAMETERS);
        try {
          assert.equal(ck.hyperparameters.attentionFunction, 'dotProduct');
          assert.equal(ck.model.config.attentionFunction, 'dotProduct');
        } finally {
          ck.model.dispose();
        }
        await assert.rejects(
          loadCheckpoint(dir, { ...TINY_HYPERPARAMETERS, attentionFunction: 'additive' }),
          /attentionFunction: checkpoint dotProduct, expected additive/,
        );
      } finally {
        dot.dispose();
      }
    }
  });

  it('trains on two threads where dot-product attention does (wasm with a second core)', () => {
    assert.equal(trainingThreads('2', 'wasm'), 2);
    assert.equal(trainingThreads('1', 'wasm'), 1);
    assert.equal(trainingThreads('2', 'cpu'), 1);
  });

  it('runs batchTensors batches through the plain forward in every mode', () => {
    const model = new Transformer(ADDITIVE, 4);
    try {
      tf.tidy(() => {
        const t = batchTensors(
          {
            size: 1,
            src: Int32Array.from([4, 5, 3, 1]),
            srcValidLen: Int32Array.from([3]),
            tgt: Int32Array.from([4, 3, 1, 1]),
            tgtValidLen: Int32Array.from([2]),
          },
          4,
          2,
        );
        for (const training of [false, true]) {
          const out = model.apply(t.encX, t.encValidLens, t.decX, { training, rng: new Rng(0) });
          assert.deepEqual(out.logits.shape, [1, 4, ADDITIVE.tgtVocabSize]);
          assert.deepEqual(out.crossWeights[0].shape, [1, ADDITIVE.numHeads, 4, 4]);
        }
      });
    } finally {
      model.dispose();
    }
  });
});
