/**
 * SplitAdam (src/train/splitAdam.ts), the two-thread trainer's Adam: each thread updates its
 * share of one shared copy of the values. Its result must be BookAdam's to the last bit (a
 * two-thread run then repeats a one-thread step's update exactly), with and without clipping.
 */
import { strict as assert } from 'node:assert';
import { tf } from '../../src/model/tf';
import { tidyKeep } from '../../src/model/tidy';
import { BookAdam, readFlat } from '../../src/train/adam';
import { SplitAdam, assignFlat, shareOf } from '../../src/train/splitAdam';
import { selectBackend } from '../../src/backend/backend';
import { Rng } from '../../src/util/rng';

/** Float32 values drawn from `rng`, scaled: large enough that some steps are clipped. */
function draw(rng: Rng, n: number, scale: number): Float32Array {
  return Float32Array.from({ length: n }, () => (rng.next() - 0.5) * scale);
}

/**
 * torch.optim.Adam with the book's clipping over float32 storage, written out as BookAdam had it
 * before its loop became adamUpdate: the values every version must reproduce bit for bit.
 */
function referenceAdam(
  state: { value: Float32Array; m: Float32Array; v: Float32Array; t: number },
  grads: Float32Array,
  lr: number,
  clip: number,
): number {
  let sq = 0;
  for (let i = 0; i < grads.length; i++) sq += grads[i] * grads[i];
  const norm = Math.sqrt(sq);
  const scale = norm > clip ? clip / norm : 1;
  state.t++;
  const [b1, b2, eps] = [0.9, 0.999, 1e-8];
  const bc1 = 1 - Math.pow(b1, state.t);
  const sqrtBc2 = Math.sqrt(1 - Math.pow(b2, state.t));
  const stepSize = lr / bc1;
  const { m, v, value } = state;
  for (let i = 0; i < value.length; i++) {
    const g = grads[i] * scale;
    m[i] = b1 * m[i] + (1 - b1) * g;
    v[i] = b2 * v[i] + (1 - b2) * g * g;
    value[i] -= (stepSize * m[i]) / (Math.sqrt(v[i]) / sqrtBc2 + eps);
  }
  return norm;
}

describe('SplitAdam (the two-thread Adam)', () => {
  before(() => selectBackend('wasm'));

  it('splits the parameters into two shares that cover them once', () => {
    for (const n of [1, 2, 7, 1_520_000]) {
      const [a, b] = [shareOf(n, 0), shareOf(n, 1)];
      assert.deepEqual([a.from, a.to === b.from, b.to], [0, true, n]);
      assert.ok(a.to - a.from - (b.to - b.from) <= 1, `shares of ${n}`);
    }
  });

  it('gives the reference Adam of the summed gradient to the last bit, as BookAdam does', () => {
    const rng = new Rng(7);
    const shapes = [[3, 5], [5], [11, 2], [1]];
    const vars = shapes.map((s) => tf.variable(tf.tensor(draw(rng, s[0] * (s[1] ?? 1), 2), s)));
    try {
      const n = vars.reduce((k, v) => k + v.size, 0);
      const values = readFlat(vars);
      const ref = { value: values.slice(), m: new Float32Array(n), v: new Float32Array(n), t: 0 };
      const book = new BookAdam(0.005);
      const halves = [new SplitAdam(0.005, shareOf(n, 0)), new SplitAdam(0.005, shareOf(n, 1))];
      let clipped = 0;
      for (let step = 0; step < 6; step++) {
        // Two replicas' gradients; steps 1-3 small (not clipped), 4-6 large (clipped at 1).
        const a = draw(rng, n, step < 3 ? 0.1 : 8);
        const b = draw(rng, n, step < 3 ? 0.1 : 8);
        const sum = a.map((x, i) => x + b[i]); // a Float32Array: each sum rounded to float32
        const refNorm = referenceAdam(ref, sum, 0.005, 1);
        assert.equal(book.applyFlat(vars, sum, 1), refNorm);
        const norms = halves.map((h) => h.update(values, a, b, 1));
        assert.deepEqual(norms, [refNorm, refNorm]);
        if (refNorm > 1) clipped++;
        assert.deepEqual(values, ref.value, `SplitAdam's values after step ${step + 1}`);
        const book32 = tidyKeep(() => readFlat(vars));
        assert.deepEqual(book32, ref.value, `BookAdam's values after step ${step + 1}`);
      }
      assert.equal(clipped, 3);
      book.dispose();
    } finally {
      tf.dispose(vars);
    }
  });

  it('assignFlat loads every variable from the values laid end to end', () => {
    const vars = [tf.variable(tf.zeros([2, 3])), tf.variable(tf.zeros([4]))];
    try {
      const values = Float32Array.from({ length: 10 }, (_, i) => i + 0.5);
      tf.tidy(() => assignFlat(vars, values));
      assert.deepEqual(Array.from(vars[0].dataSync()), [0.5, 1.5, 2.5, 3.5, 4.5, 5.5]);
      assert.deepEqual(Array.from(vars[1].dataSync()), [6.5, 7.5, 8.5, 9.5]);
      // The variables own copies: writing the values again leaves them as they are.
      values.fill(0);
      assert.equal(vars[1].dataSync()[3], 9.5);
      assert.throws(() => assignFlat(vars, new Float32Array(9)), /9 values for 10/);
    } finally {
      tf.dispose(vars);
    }
  });
});
