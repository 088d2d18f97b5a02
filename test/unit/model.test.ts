/**
 * The Transformer's forward pass on a tiny configuration: shapes, masks (padding and causal),
 * seeding and dropout.
 */
import { strict as assert } from 'node:assert';
import { tf } from '../../src/model/tf';
import { ForwardContext } from '../../src/model/context';
import { Transformer } from '../../src/model/transformer';
import { Rng } from '../../src/util/rng';
import { TINY_CONFIG, maxAbsDiff, paramValues, useCpuBackend } from '../helpers/tinyModel';

type Grid = number[][][][]; // (batch, heads, queries, keys)

interface Forward {
  logits: number[][][];
  encoderWeights: Grid[];
  decoderSelfWeights: Grid[];
  crossWeights: Grid[];
}

/** One forward pass read back as arrays; every tensor it makes is disposed. */
function forward(
  model: Transformer,
  encX: number[][],
  encValidLens: number[],
  decX: number[][],
  ctx: ForwardContext,
): Forward {
  let result!: Forward;
  tf.tidy(() => {
    const out = model.apply(
      tf.tensor2d(encX, undefined, 'int32'),
      tf.tensor1d(encValidLens, 'int32'),
      tf.tensor2d(decX, undefined, 'int32'),
      ctx,
    );
    result = {
      logits: out.logits.arraySync() as number[][][],
      encoderWeights: out.encoderWeights.map((w) => w.arraySync() as Grid),
      decoderSelfWeights: out.decoderSelfWeights.map((w) => w.arraySync() as Grid),
      crossWeights: out.crossWeights.map((w) => w.arraySync() as Grid),
    };
  });
  return result;
}

/** Encoder outputs (batch, steps, hidden) for the given source. */
function encode(model: Transformer, encX: number[][], encValidLens: number[]): number[][][] {
  return tf.tidy(() =>
    model.encoder
      .apply(tf.tensor2d(encX, undefined, 'int32'), tf.tensor1d(encValidLens, 'int32'), {
        training: false,
      })
      .output.arraySync(),
  ) as unknown as number[][][];
}

function shapeOf(grid: Grid): number[] {
  return [grid.length, grid[0].length, grid[0][0].length, grid[0][0][0].length];
}

function sum(row: number[]): number {
  return row.reduce((a, b) => a + b, 0);
}

// Three sources of 6 steps with valid lengths 6, 3 and 1 (padding id 1 after them); targets of
// 5 steps, so that every query/key axis has its own length.
const ENC_X = [
  [4, 5, 6, 7, 8, 3],
  [9, 10, 3, 1, 1, 1],
  [3, 1, 1, 1, 1, 1],
];
const ENC_VALID = [6, 3, 1];
const DEC_X = [
  [2, 4, 5, 6, 7],
  [2, 8, 9, 3, 1],
  [2, 3, 1, 1, 1],
];

describe('Transformer (model)', () => {
  let model: Transformer;

  before(async () => {
    await useCpuBackend();
    model = new Transformer(TINY_CONFIG, 7);
  });

  after(() => model.dispose());

  it('gives logits (batch, steps, vocab) and per-layer attention weights (batch, heads, Q, K)', () => {
    const out = forward(model, ENC_X, ENC_VALID, DEC_X, { training: false });
    assert.deepEqual(
      [out.logits.length, out.logits[0].length, out.logits[0][0].length],
      [3, 5, TINY_CONFIG.tgtVocabSize],
    );
    for (const kind of ['encoderWeights', 'decoderSelfWeights', 'crossWeights'] as const) {
      assert.equal(out[kind].length, TINY_CONFIG.numLayers, `${kind}: one tensor per layer`);
    }
    for (let layer = 0; layer < TINY_CONFIG.numLayers; layer++) {
      assert.deepEqual(shapeOf(out.encoderWeights[layer]), [3, 2, 6, 6]);
      assert.deepEqual(shapeOf(out.decoderSelfWeights[layer]), [3, 2, 5, 5]);
      assert.deepEqual(shapeOf(out.crossWeights[layer]), [3, 2, 5, 6]);
    }
    assert.ok(out.logits.flat(2).every(Number.isFinite), 'finite logits');
  });

  it('gives padded source keys exactly 0 weight; every row sums to 1', () => {
    const out = forward(model, ENC_X, ENC_VALID, DEC_X, { training: false });
    for (const grids of [out.encoderWeights, out.crossWeights]) {
      for (const grid of grids) {
        grid.forEach((sample, b) =>
          sample.forEach((head) =>
            head.forEach((row) => {
              row.forEach((w, k) => {
                if (k >= ENC_VALID[b]) assert.equal(w, 0, `sample ${b} key ${k} is padding`);
                else assert.ok(w > 0, `sample ${b} key ${k} is a real token (weight ${w})`);
              });
              assert.ok(Math.abs(sum(row) - 1) < 1e-5, `row sums to ${sum(row)}`);
            }),
          ),
        );
      }
    }
    // The one-token source: all weight on its only key.
    assert.equal(out.encoderWeights[0][2][1][4][0], 1);
  });

  it('applies the causal mask in teacher forcing: no weight above the diagonal', () => {
    for (const training of [false, true]) {
      const ctx = { training, rng: new Rng(3) };
      const out = forward(model, ENC_X, ENC_VALID, DEC_X, ctx);
      for (const grid of out.decoderSelfWeights) {
        for (const sample of grid) {
          for (const head of sample) {
            head.forEach((row, q) => {
              row.forEach((w, k) => {
                if (k > q) assert.equal(w, 0, `query ${q} sees future key ${k}`);
                else assert.ok(w > 0, `query ${q} key ${k}`);
              });
              assert.ok(Math.abs(sum(row) - 1) < 1e-5, `row ${q} sums to ${sum(row)}`);
            });
            assert.equal(head[0][0], 1, 'the first query sees only itself');
          }
        }
      }
    }
  });

  it('keeps the encoder output at real positions independent of what the padding holds', () => {
    const other = ENC_X.map((row, b) => row.map((id, k) => (k >= ENC_VALID[b] ? 4 + k : id)));
    const a = encode(model, ENC_X, ENC_VALID);
    const b = encode(model, other, ENC_VALID);
    for (let s = 0; s < 3; s++) {
      for (let k = 0; k < 6; k++) {
        const d = maxAbsDiff(a[s][k], b[s][k]);
        if (k < ENC_VALID[s]) assert.ok(d <= 1e-6, `sample ${s} position ${k} changed by ${d}`);
        // The padded positions themselves do change (their own embedding differs), which
        // shows the test really fed different inputs.
        else assert.ok(d > 1e-3, `sample ${s} padded position ${k} unchanged`);
      }
    }
    // Through the whole model: the decoder's logits do not see the padding either.
    const la = forward(model, ENC_X, ENC_VALID, DEC_X, { training: false }).logits;
    const lb = forward(model, other, ENC_VALID, DEC_X, { training: false }).logits;
    assert.ok(maxAbsDiff(la.flat(2), lb.flat(2)) <= 1e-5, 'logits depend on padding');
  });

  it('rejects numHiddens not divisible by numHeads', () => {
    assert.throws(
      () => new Transformer({ ...TINY_CONFIG, numHiddens: 10, numHeads: 4 }),
      /numHiddens \(10\) must be divisible by numHeads \(4\)/,
    );
  });

  it('initialises identically from the same seed and differently from another', () => {
    const a = new Transformer(TINY_CONFIG, 11);
    const b = new Transformer(TINY_CONFIG, 11);
    const c = new Transformer(TINY_CONFIG, 12);
    try {
      const va = paramValues(a);
      const vb = paramValues(b);
      const vc = paramValues(c);
      assert.deepEqual([...va.keys()], [...vc.keys()]);
      assert.ok(va.size > 20, `${va.size} parameters`);
      for (const [name, values] of va) {
        assert.deepEqual(vb.get(name), values, `${name} differs for the same seed`);
      }
      const differing = [...va].filter(([name, values]) => maxAbsDiff(values, vc.get(name)!) > 0);
      // Every randomly initialised tensor differs; LayerNorm's constant 1/0 ones cannot.
      const random = [...va.keys()].filter((n) => !n.includes('addnorm'));
      assert.deepEqual(
        differing.map(([n]) => n),
        random,
      );
    } finally {
      a.dispose();
      b.dispose();
      c.dispose();
    }
  });

  it('uses dropout only with training: true', () => {
    const rng = new Rng(5);
    const t1 = forward(model, ENC_X, ENC_VALID, DEC_X, { training: true, rng }).logits.flat(2);
    const t2 = forward(model, ENC_X, ENC_VALID, DEC_X, { training: true, rng }).logits.flat(2);
    assert.ok(maxAbsDiff(t1, t2) > 1e-3, 'two training passes drew the same dropout masks');
    const i1 = forward(model, ENC_X, ENC_VALID, DEC_X, { training: false }).logits.flat(2);
    const i2 = forward(model, ENC_X, ENC_VALID, DEC_X, { training: false, rng }).logits.flat(2);
    assert.deepEqual(i1, i2, 'inference passes differ');
    assert.ok(maxAbsDiff(t1, i1) > 1e-3, 'training pass equals inference pass');
    // The same rng seed gives the same dropout masks.
    const r1 = forward(model, ENC_X, ENC_VALID, DEC_X, { training: true, rng: new Rng(9) });
    const r2 = forward(model, ENC_X, ENC_VALID, DEC_X, { training: true, rng: new Rng(9) });
    assert.deepEqual(r1.logits, r2.logits);
  });

  it('makes training and inference passes equal when dropout is 0', () => {
    const noDrop = new Transformer({ ...TINY_CONFIG, dropout: 0 }, 7);
    try {
      const t = forward(noDrop, ENC_X, ENC_VALID, DEC_X, { training: true, rng: new Rng(1) });
      const i = forward(noDrop, ENC_X, ENC_VALID, DEC_X, { training: false });
      assert.deepEqual(t.logits, i.logits);
      // Same seed, so the same weights as `model`: only dropout separates them.
      const d = forward(model, ENC_X, ENC_VALID, DEC_X, { training: false });
      assert.deepEqual(d.logits, i.logits);
    } finally {
      noDrop.dispose();
    }
  });

  it('frees on dispose every tensor its constructor made', () => {
    const before = tf.memory().numTensors;
    const m = new Transformer(TINY_CONFIG, 1);
    const numParams = m.params.variables().length;
    assert.equal(tf.memory().numTensors - before, numParams, 'one tensor per parameter');
    m.dispose();
    assert.equal(tf.memory().numTensors, before, 'tensors left after dispose');
  });

  it('replaces parameters with params.load without leaking tensors', () => {
    const m = new Transformer(TINY_CONFIG, 1);
    try {
      const values = Object.fromEntries(
        [...paramValues(model)].map(([name, data]) => [
          name,
          { shape: model.params.get(name).shape, data },
        ]),
      );
      const before = tf.memory().numTensors;
      m.params.load(values);
      assert.equal(tf.memory().numTensors, before, 'tensors left by load');
      assert.deepEqual(paramValues(m), paramValues(model));
    } finally {
      m.dispose();
    }
  });

  it('leaks no tensors in a forward pass', () => {
    const before = tf.memory().numTensors;
    forward(model, ENC_X, ENC_VALID, DEC_X, { training: true, rng: new Rng(2) });
    encode(model, ENC_X, ENC_VALID);
    assert.equal(tf.memory().numTensors, before);
  });
});
