/**
 * The fused additive-attention kernel of the training step on wasm (src/model/ops/wasm/): its
 * committed module is a fresh compile of its AssemblyScript source, it loads on wasm, and the
 * grouped scores and their gradients (ops/additiveScores.ts `groupedAdditiveScores`, through the
 * kernel for h = 8 and through tfjs ops for h = 6) equal the book's arithmetic differentiated by
 * tfjs autodiff, saturated and tiny features included.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { tf, Tensor } from '../../src/model/tf';
import { selectBackend } from '../../src/backend/backend';
import { currentFastPath } from '../../src/model/ops/fastPath';
import { groupedAdditiveScores } from '../../src/model/ops/additiveScores';
import { Tape } from '../../src/model/tape';
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

describe('additive attention kernel (wasm)', () => {
  before(async () => {
    const info = await selectBackend('wasm');
    assert.equal(info.name, 'wasm', info.reason);
  });

  it('is committed as a fresh compile of its AssemblyScript source', function () {
    this.timeout(120_000);
    const root = path.resolve(__dirname, '../..');
    // exits 1 with "… differs from a fresh compile" when additiveWasm.ts is stale
    execFileSync(process.execPath, ['scripts/buildKernels.mjs', '--check'], { cwd: root });
  });

  it('loads on wasm', () => {
    assert.ok(currentFastPath().additiveKernel, 'the kernel did not load: no WebAssembly SIMD?');
  });

  for (const h of [8, 6]) {
    it(`gives the book's scores and gradients (h = ${h}: ${h % 4 ? 'tfjs ops' : 'the kernel'})`, () => {
      const before = tf.memory().numTensors;
      tf.tidy(() => {
        const qh = projections(Q * G, h, 1);
        const kh = projections(K * G, h, 2);
        const wv = tf.randomNormal([1, h], 0, 1, 'float32', 3);
        const dScores = tf.randomNormal([Q, G, K], 0, 1, 'float32', 4);
        const loss = (q: Tensor, k: Tensor, w: Tensor) =>
          tf.sum(tf.mul(bookScores(q, k, w), dScores));
        const expected = tf.grads(loss)([qh, kh, wv]);

        const tape = new Tape();
        const s = groupedAdditiveScores(qh, kh, wv, Q, K);
        assert.deepEqual(s.scores.shape, [Q, G, K]);
        assertClose(s.scores.dataSync(), bookScores(qh, kh, wv).dataSync(), 1e-6, 'scores');
        s.backward(dScores, tape);
        [qh, kh, wv].forEach((t, i) => {
          const g = tape.gradOf(t);
          assert.ok(g, `no gradient for input ${i}`);
          assert.deepEqual(g.shape, t.shape);
          assertClose(
            g.dataSync(),
            expected[i]!.dataSync(),
            1e-6,
            `gradient ${['qh', 'kh', 'w_v'][i]}`,
          );
        });
      });
      assert.equal(tf.memory().numTensors, before, 'tensors leaked');
    });
  }
});
