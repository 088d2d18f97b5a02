/**
 * The fused kernels of the training step on wasm (src/model/ops/wasm/): the committed module is
 * a fresh compile of its AssemblyScript sources, it loads on wasm, and each kernel's results and
 * gradients equal the arithmetic it replaces, differentiated by tfjs autodiff:
 * - additive attention's grouped scores (ops/additiveScores.ts `groupedAdditiveScores`, through
 *   the kernel for h = 8 and through tfjs ops for h = 6), saturated and tiny features included;
 * - the layer norm (ops/taped.ts `layerNorm` with the fast path), rows far from zero mean and
 *   with a tiny spread included;
 * - the attention's group products (ops/groupProducts.ts), against the same products as XNNPACK
 *   convolutions (the fast path without its kernels).
 * The masked softmax is covered by the parity and tape tests (test/parity, perf-gradients).
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { tf, Tensor } from '../../src/model/tf';
import { selectBackend } from '../../src/backend/backend';
import { currentFastPath } from '../../src/model/ops/fastPath';
import {
  AdditiveScores,
  fusedAdditiveScores,
  groupedAdditiveScores,
} from '../../src/model/ops/additiveScores';
import { Tape } from '../../src/model/tape';
import { layerNorm } from '../../src/model/ops/taped';
import { groupProductsOf } from '../../src/model/ops/groupProducts';
import { assertClose } from '../helpers/fixtures';

const [Q, K, G] = [5, 7, 6];

/** Values of about the projections' size, with saturating (|x| 12-30) and tiny ones mixed in. */
function projections(rows: number, h: number, seed: number): Tensor {
  const values = tf.randomNormal([rows, h], 0, 1.5, 'float32', seed).dataSync() as Float32Array;
  for (let i = 0; i < values.length; i += 7) values[i] = (i % 2 ? -1 : 1) * (12 + (i % 19));
  for (let i = 3; i < values.length; i += 11) values[i] = 1e-6 * (i % 5);
  return tf.tensor2d(values, [rows, h]);
}

/** scores (Q, G, K) = w_v . tanh(qh[q, g] + kh[k, g]), as the book writes it. */
function bookScores(qh: Tensor, kh: Tensor, wv: Tensor): Tensor {
  const h = qh.shape[1]!;
  const q = tf.transpose(qh.reshape([Q, G, h]), [1, 0, 2]); // (G, Q, h)
  const k = tf.transpose(kh.reshape([K, G, h]), [1, 0, 2]); // (G, K, h)
  const features = tf.tanh(tf.add(tf.expandDims(q, 2), tf.expandDims(k, 1))); // (G, Q, K, h)
  const scores = tf.sum(tf.mul(features, wv.reshape([h])), -1); // (G, Q, K)
  return tf.transpose(scores, [1, 0, 2]);
}

describe('fused WebAssembly kernels (wasm)', () => {
  before(async () => {
    const info = await selectBackend('wasm');
    assert.equal(info.name, 'wasm', info.reason);
  });

  it('are committed as a fresh compile of their AssemblyScript sources', function () {
    this.timeout(120_000);
    const root = path.resolve(__dirname, '../..');
    // exits 1 with "… differs from a fresh compile" when additiveWasm.ts is stale
    execFileSync(process.execPath, ['scripts/buildKernels.mjs', '--check'], { cwd: root });
  });

  it('load on wasm', () => {
    assert.ok(currentFastPath().kernels, 'the kernels did not load: no WebAssembly SIMD?');
  });

  for (const h of [8, 6]) {
    it(`additive attention through tfjs ops: the book's scores and gradients (h = ${h})`, () => {
      const before = tf.memory().numTensors;
      tf.tidy(() => {
        const qh = projections(Q * G, h, 1);
        const kh = projections(K * G, h, 2);
        const wv = tf.randomNormal([1, h], 0, 1, 'float32', 3);
        const dScores = tf.randomNormal([Q, G, K], 0, 1, 'float32', 4);
        const loss = (q: Tensor, k: Tensor, w: Tensor) =>
          tf.sum(tf.mul(bookScores(q, k, w), dScores));
        const s = groupedAdditiveScores(qh, kh, wv, Q, K);
        assertScoresAndGradients(s, [qh, kh, wv], loss, dScores, bookScores(qh, kh, wv));
      });
      assert.equal(tf.memory().numTensors, before, 'tensors leaked');
    });
  }

  for (const inWidth of [8, 6]) {
    it(`additive attention through the kernel, W_q and W_k included (rows of ${inWidth})`, () => {
      const before = tf.memory().numTensors;
      tf.tidy(() => {
        const h = 8;
        const q = tf.mul(projections(Q * G, inWidth, 1), 0.5);
        const k = tf.mul(projections(K * G, inWidth, 2), 0.5);
        const Wq = tf.randomNormal([h, inWidth], 0, 0.3, 'float32', 5);
        const Wk = tf.randomNormal([h, inWidth], 0, 0.3, 'float32', 6);
        const wv = tf.randomNormal([1, h], 0, 1, 'float32', 3);
        const dScores = tf.randomNormal([Q, G, K], 0, 1, 'float32', 4);
        const book = (...[a, b, wa, wb, w]: Tensor[]) =>
          bookScores(tf.matMul(a!, wa!, false, true), tf.matMul(b!, wb!, false, true), w!);
        const loss = (...t: Tensor[]) => tf.sum(tf.mul(book(...t), dScores));
        const s = fusedAdditiveScores(q, k, { Wq, Wk, wv }, Q, K, currentFastPath());
        const inputs = [q, k, Wq, Wk, wv];
        assertScoresAndGradients(s, inputs, loss, dScores, book(...inputs));
      });
      assert.equal(tf.memory().numTensors, before, 'tensors leaked');
    });
  }

  for (const width of [32, 6]) {
    it(`layer norm: nn.LayerNorm's values and gradients (width ${width})`, () => {
      const before = tf.memory().numTensors;
      tf.tidy(() => {
        const [rows, eps] = [15, 1e-5];
        const values = tf.randomNormal([rows, width], 0, 2, 'float32', 5).dataSync();
        // one row far from zero mean, one with a tiny spread, one constant (variance 0)
        for (let j = 0; j < width; j++) {
          values[j] = 100 + 0.5 * values[j]!;
          values[width + j] = 1e-3 * values[width + j]!;
          values[2 * width + j] = 7;
        }
        const x = tf.tensor3d(values, [3, 5, width]);
        const gamma = tf.randomNormal([width], 1, 0.5, 'float32', 6);
        const beta = tf.randomNormal([width], 0, 0.5, 'float32', 7);
        const dy = tf.randomNormal([3, 5, width], 0, 1, 'float32', 8);
        const [xs, gs, bs, dys] = [x, gamma, beta, dy].map((t) => t.dataSync());
        const ref = layerNormInFloat64(xs!, gs!, bs!, dys!, width, eps);
        const tape = new Tape();
        const y = layerNorm(x, gamma, beta, eps, tape, currentFastPath());
        // f32 arithmetic, as nn.LayerNorm's: the row at mean 100 alone loses up to half an ulp of
        // 100 in its mean, ~2e-6 of the largest value (the tfjs ops it replaces: 2.4e-6)
        assertClose(y.dataSync(), ref.y, 5e-6, 'values');
        tape.backward(y, dy);
        [x, gamma, beta].forEach((t, i) => {
          const g = tape.gradOf(t);
          assert.ok(g, `no gradient for input ${i}`);
          assert.deepEqual(g.shape, t.shape);
          assertClose(g.dataSync(), [ref.dx, ref.dgamma, ref.dbeta][i]!, 5e-6, `gradient ${i}`);
        });
      });
      assert.equal(tf.memory().numTensors, before, 'tensors leaked');
    });
  }

  for (const d of [8, 6]) {
    it(`group products: the XNNPACK convolutions' values (width ${d})`, () => {
      const before = tf.memory().numTensors;
      tf.tidy(() => {
        const [M, N, G] = [7, 5, 9];
        const fused = groupProductsOf(currentFastPath());
        const ops = groupProductsOf({ ...currentFastPath(), kernels: null });
        const x = tf.randomNormal([M, G, d], 0, 1, 'float32', 11);
        const y = tf.randomNormal([N, G, d], 0, 1, 'float32', 12);
        const w = tf.randomNormal([M, G, N], 0, 1, 'float32', 13);
        const wT = tf.randomNormal([N, G, M], 0, 1, 'float32', 14);
        const pairs: [string, Tensor, Tensor][] = [
          ['dots', fused.dots(x, y), ops.dots(x, y)],
          ['weighted', fused.weighted(w, y), ops.weighted(w, y)],
          ['weighted, transposed', fused.weighted(wT, y, true), ops.weighted(wT, y, true)],
        ];
        for (const [what, a, b] of pairs) {
          assert.deepEqual(a.shape, b.shape, what);
          assertClose(a.dataSync(), b.dataSync(), 1e-6, what);
        }
      });
      assert.equal(tf.memory().numTensors, before, 'tensors leaked');
    });
  }
});

type Arr = ArrayLike<number>;

/** nn.LayerNorm over rows of `width` and its gradients for dy, in float64 (the reference). */
function layerNormInFloat64(x: Arr, gamma: Arr, beta: Arr, dy: Arr, width: number, eps: number) {
  const y: number[] = [];
  const dx: number[] = [];
  const dgamma = new Array<number>(width).fill(0);
  const dbeta = new Array<number>(width).fill(0);
  const idx = Array.from({ length: width }, (_, j) => j);
  const mean = (f: (j: number) => number) => idx.reduce((s, j) => s + f(j), 0) / width;
  for (let r = 0; r < x.length / width; r++) {
    const at = (j: number) => r * width + j;
    const mu = mean((j) => x[at(j)]!);
    const rstd = 1 / Math.sqrt(mean((j) => (x[at(j)]! - mu) ** 2) + eps);
    const xhat = idx.map((j) => (x[at(j)]! - mu) * rstd);
    const dxhat = idx.map((j) => dy[at(j)]! * gamma[j]!);
    const m1 = mean((j) => dxhat[j]!);
    const m2 = mean((j) => dxhat[j]! * xhat[j]!);
    for (const j of idx) {
      y.push(xhat[j]! * gamma[j]! + beta[j]!);
      dx.push(rstd * (dxhat[j]! - m1 - xhat[j]! * m2));
      dgamma[j]! += dy[at(j)]! * xhat[j]!;
      dbeta[j]! += dy[at(j)]!;
    }
  }
  return { y, dx, dgamma, dbeta };
}

/**
 * `s`'s scores are `expected` and its backward pass for dScores gives tf.grads of `loss` (the
 * sum of the book's scores times dScores) for every input, within 1e-6.
 */
function assertScoresAndGradients(
  s: AdditiveScores,
  inputs: Tensor[],
  loss: (...t: Tensor[]) => Tensor,
  dScores: Tensor,
  expected: Tensor,
): void {
  assert.deepEqual(s.scores.shape, [Q, G, K]);
  assertClose(s.scores.dataSync(), expected.dataSync(), 1e-6, 'scores');
  const grads = tf.grads(loss)(inputs);
  const tape = new Tape();
  s.backward(dScores, tape);
  inputs.forEach((t, i) => {
    const g = tape.gradOf(t);
    assert.ok(g, `no gradient for input ${i}`);
    assert.deepEqual(g.shape, t.shape);
    assertClose(g.dataSync(), grads[i]!.dataSync(), 1e-6, `gradient of input ${i}`);
  });
}
