import { tf, Tensor } from '../tf';
import type { Tape } from '../tape';
import { FastPath, currentFastPath } from './fastPath';
import type { KernelDims } from './wasm/additiveKernel';

/**
 * The book's additive attention scores (d2l §10.3.2), from the projected queries qh = W_q q and
 * keys kh = W_k k, with w_v (1, h) as nn.Linear(h, 1) stores it:
 *
 *   scores[q, k] = w_v . tanh(qh[q] + kh[k])
 *
 * Each function returns the scores and their backward pass: given dScores it accumulates the
 * gradients of qh, kh and w_v on the tape (the callers record it, see attention.ts
 * `attendToValues` and ops/groupedAttention.ts). The book's arithmetic keeps the features
 * (Q, K, h per head) for its backward pass; the fused kernel of the training step on wasm
 * recomputes them and never makes the tensor.
 */
/** Where a backward pass puts its gradients: the Tape, or an adapter in front of it. */
type Gradients = Pick<Tape, 'accumulate'>;

export interface AdditiveScores {
  scores: Tensor;
  backward(dScores: Tensor, tape: Gradients): void;
}

/**
 * The book's arithmetic on any backend and layout: qh (..., Q, h), kh (..., K, h) with the same
 * leading dimensions -> scores (..., Q, K), through features tanh(qh + kh) (..., Q, K, h)
 * exactly as the book computes them (the public forward pass, inference, tfjs autodiff). Its
 * backward pass: d features = dScores w_v, d(qh + kh) = d features (1 - features^2), summed
 * over the keys for qh and over the queries for kh; dw_v = dScores^T features.
 */
export function additiveScores(qh: Tensor, kh: Tensor, wv: Tensor): AdditiveScores {
  const h = qh.shape[qh.rank - 1]!;
  const features = tf.tanh(tf.add(tf.expandDims(qh, -2), tf.expandDims(kh, -3)));
  const rows = features.reshape([-1, h]);
  const scores = tf.matMul(rows, tf.transpose(wv)).reshape(features.shape.slice(0, -1));
  return {
    scores,
    backward(dScores, tape) {
      const n = rows.shape[0]!;
      const dFeatures = tf.matMul(dScores.reshape([n, 1]), wv).reshape(features.shape);
      const dPre = tf.mul(dFeatures, tf.sub(1, tf.square(features)));
      tape.accumulate(qh, tf.sum(dPre, -2));
      tape.accumulate(kh, tf.sum(dPre, -3));
      tape.accumulate(wv, tf.matMul(dScores.reshape([1, n]), rows));
    },
  };
}

/**
 * The same scores for the training step on wasm, in the grouped time-major layout of
 * ops/groupedAttention.ts: qh (Q*G, h) and kh (K*G, h) as rows ordered (step, head), G = B*H
 * heads -> scores (Q, G, K). Through the fused WebAssembly loops of ops/wasm/additive.as.ts
 * where this wasm has them and h is a multiple of 4 (the book's: 32 / 4 heads = 8), else through
 * `additiveScores` on the heads' (G, steps, h) transposes.
 */
export function groupedAdditiveScores(
  qh: Tensor,
  kh: Tensor,
  wv: Tensor,
  queries: number,
  keys: number,
  fast: FastPath = currentFastPath(),
): AdditiveScores {
  const [rows, h] = qh.shape as [number, number];
  const dims = { Q: queries, K: keys, G: rows / queries, h };
  const kernel = h % 4 === 0 ? fast.kernels?.additive : null;
  if (!kernel) return groupedByHeads(qh, kh, wv, dims);
  const read = (t: Tensor) => fast.read(t) as Float32Array;
  const values = kernel.scores(read(qh), read(kh), read(wv), dims);
  return {
    scores: tf.tensor3d(values, [dims.Q, dims.G, dims.K]),
    backward(dScores, tape) {
      // read() views the backend's heap: all four are read before anything is allocated there
      const g = kernel.backward(read(qh), read(kh), read(wv), read(dScores), dims);
      tape.accumulate(qh, tf.tensor2d(g.dqh, qh.shape as [number, number]));
      tape.accumulate(kh, tf.tensor2d(g.dkh, kh.shape as [number, number]));
      tape.accumulate(wv, tf.tensor2d(g.dwv, wv.shape as [number, number]));
    },
  };
}

/** `groupedAdditiveScores` through `additiveScores`, the heads first: (G, Q, h), (G, K, h). */
function groupedByHeads(qh: Tensor, kh: Tensor, wv: Tensor, dims: KernelDims): AdditiveScores {
  const { Q, K, G, h } = dims;
  const q3 = tf.transpose(qh.reshape([Q, G, h]), [1, 0, 2]);
  const k3 = tf.transpose(kh.reshape([K, G, h]), [1, 0, 2]);
  const s = additiveScores(q3, k3, wv);
  const toRows = (g: Tensor) => tf.transpose(g, [1, 0, 2]).reshape([-1, h]);
  return {
    scores: tf.transpose(s.scores, [1, 0, 2]),
    backward(dScores, tape) {
      s.backward(tf.transpose(dScores, [1, 0, 2]), {
        accumulate(t, g) {
          if (t === q3) tape.accumulate(qh, toRows(g));
          else if (t === k3) tape.accumulate(kh, toRows(g));
          else tape.accumulate(t, g);
        },
      });
    },
  };
}
