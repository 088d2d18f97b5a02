import { tf, Tensor } from '../tf';
import type { Tape } from '../tape';

/**
 * The book's additive attention scores (d2l §10.3.2), from the projected queries qh = W_q q and
 * keys kh = W_k k, with w_v (1, h) as nn.Linear(h, 1) stores it:
 *
 *   scores[q, k] = w_v . tanh(qh[q] + kh[k])
 *
 * Each function returns the scores and their backward pass: given dScores it accumulates the
 * gradients of qh, kh and w_v on the tape (the callers record it, see attention.ts
 * `attendToValues` and ops/groupedAttention.ts). Both keep the features (Q, K, h per head) for
 * the backward pass: the one tensor of this size, which the forward pass makes anyway.
 */
export interface AdditiveScores {
  scores: Tensor;
  backward(dScores: Tensor, tape: Tape): void;
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
 * heads -> scores (Q, G, K). Every big operation is one that runs fast there (measured on wasm
 * for the book's batch, 204,800 features per layer; docs/performance.md "Additive attention"):
 *
 * - tanh(x) = 2 sigmoid(2x) - 1: wasm's Tanh is a scalar loop (3.6 ms for the features),
 *   its Sigmoid is XNNPACK's (0.19 ms). The constant -sum(w_v) it adds to every score is left
 *   out: a softmax over the keys does not see it, and its gradients sum to zero over the keys
 *   (the rows of dScores do). So scores = (2 w_v) . s with s = sigmoid(2 (qh + kh)), and
 *   1 - tanh^2 = 4 s (1 - s) in the backward pass.
 * - The broadcast sum 2 qh[q, g] + 2 kh[k, g] over (Q, G, K, h): a plain matMul tiles qh over
 *   the keys, then kh is added as one row broadcast over the queries (0.14 ms; tf.add
 *   broadcasting both: 0.29 ms).
 * - The sum over the keys as a plain matMul with stacked identities (0.06 ms; tf.sum over that
 *   axis transposes first: 0.08 ms). Never a big fresh right operand: XNNPACK packs it anew
 *   (the sum over the queries as a row of ones times d(qh + kh): 0.6 ms; tf.sum: 0.1 ms).
 */
export function groupedAdditiveScores(
  qh: Tensor,
  kh: Tensor,
  wv: Tensor,
  queries: number,
  keys: number,
): AdditiveScores {
  const h = qh.shape[1]!;
  const [Q, K] = [queries, keys];
  const G = qh.shape[0]! / Q;
  const n = Q * G * K;
  const s = tf.tidy(() => {
    const qTiled = tf.matMul(qh, identityBlocks(h, K, 2)).reshape([Q, G * K * h]); // 2 qh, per key
    const kRow = tf.transpose(kh.reshape([K, G, h]), [1, 0, 2]).reshape([G * K * h]);
    return tf.sigmoid(tf.add(qTiled, tf.mul(kRow, 2))).reshape([n, h]); // rows (q, g, k)
  });
  const scores = tf.tidy(() => tf.matMul(s, tf.mul(tf.transpose(wv), 2)).reshape([Q, G, K]));
  return {
    scores,
    backward(dScores, tape) {
      const dS = dScores.reshape([n, 1]);
      // dw_v = 2 dScores^T s as one (1, n) by (n, h) matMul: 0.70 -> ~0.05 ms per call with
      // fresh operands (a matMul spreading dScores over h, times s, then two sums over axes);
      // packing s as the right operand costs less than those four passes over it. 2 threads,
      // 40 epochs: 10,558 tokens/s median of 7 runs against ~10,300 (docs/performance.md).
      tape.accumulate(wv, tf.mul(tf.matMul(dS, s, true, false), 2));
      // d(qh + kh) = dScores w_v 4 (s - s^2), summed over the keys for qh (a matMul with
      // stacked identities) and over the queries for kh
      const dPre = tf.mul(tf.matMul(dS, tf.mul(wv, 4)), tf.sub(s, tf.square(s)));
      tape.accumulate(qh, tf.matMul(dPre.reshape([Q * G, K * h]), identityBlocks(h, K, 1, true)));
      const dk = tf.sum(dPre.reshape([Q, G * K * h]), 0).reshape([G, K, h]);
      tape.accumulate(kh, tf.transpose(dk, [1, 0, 2]).reshape([K * G, h]));
    },
  };
}

const blocks = new Map<string, Float32Array>();

/**
 * Identity blocks side by side, (h, n*h) = c [I I ... I]: a row times it is the row n times
 * over (times c). Transposed (`stacked`), (n*h, h) = c [I; I; ...; I]: a row times it is the
 * sum of its n blocks. Built once in JavaScript and uploaded per use (a tensor kept across
 * steps would count as a leak in every live-tensor check).
 */
function identityBlocks(h: number, n: number, c: number, stacked = false): Tensor {
  const key = `${h} ${n} ${c} ${stacked}`;
  let values = blocks.get(key);
  if (!values) {
    values = new Float32Array(n * h * h);
    for (let b = 0; b < n; b++) {
      for (let j = 0; j < h; j++) values[stacked ? (b * h + j) * h + j : j * n * h + b * h + j] = c;
    }
    blocks.set(key, values);
  }
  return tf.tensor2d(values, stacked ? [n * h, h] : [h, n * h]);
}
