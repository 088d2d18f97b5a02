import { tf, Tensor } from '../tf';
import type { Tape } from '../tape';
import type { FastPath } from './fastPath';

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
 * The same scores for the training step, in the grouped time-major layout of
 * ops/groupedAttention.ts: qh (Q*G, h) and kh (K*G, h) as rows ordered (step, head), G = B*H
 * heads -> scores (Q, G, K), through `additiveScores` on the heads' (G, steps, h) transposes.
 * Where the fast path has the fused kernels, `fusedAdditiveScores` instead.
 */
export function groupedAdditiveScores(
  qh: Tensor,
  kh: Tensor,
  wv: Tensor,
  queries: number,
  keys: number,
): AdditiveScores {
  const h = qh.shape[1]!;
  const [Q, K, G] = [queries, keys, qh.shape[0]! / queries];
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

/** Additive attention's parameters: W_q (h, qIn), W_k (h, kIn), w_v (1, h). */
export interface AdditiveWeights {
  Wq: Tensor;
  Wk: Tensor;
  wv: Tensor;
}

/**
 * `groupedAdditiveScores` of the projections q W_q^T, k W_k^T from the unprojected rows q
 * (Q*G, qIn) and k (K*G, kIn), projections included, through the fused WebAssembly loops of
 * ops/wasm/additive.as.ts and linear.as.ts: one call forward, one backward, which accumulates
 * the gradients of q, k and the three weights. h must be a multiple of 4 (the book's 32 / 4
 * heads = 8 is).
 */
export function fusedAdditiveScores(
  q: Tensor,
  k: Tensor,
  w: AdditiveWeights,
  queries: number,
  keys: number,
  fast: FastPath,
): AdditiveScores {
  const kernel = fast.kernels!.additive;
  const [h, qIn] = w.Wq.shape as [number, number];
  const [Q, K, G] = [queries, keys, q.shape[0]! / queries];
  const dims = { Q, K, G, h, qIn, kIn: w.Wk.shape[1]! };
  const read = (t: Tensor) => fast.read(t) as Float32Array;
  // read() views the backend's heap: every input is read before anything is allocated there
  const values = () => ({ q: read(q), k: read(k), Wq: read(w.Wq), Wk: read(w.Wk), wv: read(w.wv) });
  return {
    scores: tf.tensor3d(kernel.scores(values(), dims), [Q, G, K]),
    backward(dScores, tape) {
      const g = kernel.backward(values(), read(dScores), dims);
      for (const [name, t] of [
        ['q', q],
        ['k', k],
        ['Wq', w.Wq],
        ['Wk', w.Wk],
        ['wv', w.wv],
      ] as const) {
        tape.accumulate(t, tf.tensor(g[name], t.shape));
      }
    },
  };
}
