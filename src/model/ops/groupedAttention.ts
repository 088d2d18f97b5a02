import { tf, Tensor } from '../tf';
import type { ForwardPass } from '../context';
import type { AttentionResult } from '../attention';
import { prepareMask } from './maskCache';
import { timeMajorWeightsMask } from './dropout';
import type { Tape } from '../tape';

/**
 * C[g] = A[g] B[g] for G independent small matrices, a (M, K, G) and b (K, G, N) -> (M, G, N),
 * computed as one depthwise convolution: input (1, M, K, G) with a (1, K, G, N) filter, channel
 * multiplier N. On wasm that runs on XNNPACK (~55 us for the attention's 256 groups of 10x8x10);
 * a batched tf.matMul there takes the scalar fallback (~200 us).
 */
export function groupMatMul(a: Tensor, b: Tensor): Tensor {
  const [M, K, G] = a.shape as [number, number, number];
  const N = b.shape[2]!;
  const out = tf.depthwiseConv2d(
    a.reshape([1, M, K, G]) as tf.Tensor4D,
    b.reshape([1, K, G, N]) as tf.Tensor4D,
    1,
    'valid',
  );
  return out.reshape([M, G, N]);
}

/**
 * Multi-head attention's three projections as 2-D rows, and the shapes that split them into
 * heads: q (Q*B, H*d), k and v (K*B, H*d), rows ordered (step, batch) in the time-major layout.
 */
export interface HeadProjections {
  q: Tensor;
  k: Tensor;
  v: Tensor;
  batch: number;
  queries: number;
  keys: number;
  heads: number;
}

/**
 * A scoring function's scores in the grouped layout, (Q, G, K) for the G = B*H heads, the factor
 * the masked softmax multiplies them by, and how their gradient dScores (Q, G, K; the factor and
 * the mask applied) reaches the projections they came from (accumulated on `tape`).
 */
export interface GroupedScores {
  scores: Tensor;
  scale: number;
  backward(dScores: Tensor, tape: Tape): void;
}

/** A scoring function of the grouped layout: the projections -> their scores (Q, G, K). */
export type GroupedScoring = (p: HeadProjections, tape: Tape) => GroupedScores;

/** Scaled dot-product scores per head, Q K^T (scaled by 1/sqrt(d) in the softmax). */
export const groupedDotScores: GroupedScoring = (p) => {
  const { q: yq, k: yk, batch: B, queries: Q, keys: K, heads: H } = p;
  const D = yq.shape[1]!;
  const d = D / H;
  const q3 = yq.reshape([Q, B * H, d]);
  const k3 = yk.reshape([K, B * H, d]);
  return {
    scores: tf.tidy(() => groupMatMul(tf.transpose(q3, [0, 2, 1]), tf.transpose(k3, [2, 1, 0]))),
    scale: Math.fround(1 / Math.sqrt(d)),
    backward(dScores, tape) {
      // dQ = dS K, dK = dS^T Q: K and Q are already the filters
      tape.accumulate(yq, groupMatMul(tf.transpose(dScores, [0, 2, 1]), k3).reshape([Q * B, D]));
      tape.accumulate(yk, groupMatMul(tf.transpose(dScores, [2, 0, 1]), q3).reshape([K * B, D]));
    },
  };
};

/**
 * Multi-head attention from the projections, for the training step on wasm in the time-major
 * layout -> the heads' merged output (Q*B, H*d), in the queries' row order, and the weights
 * (B, H, Q, K). Same arithmetic as splitHeads + dotProductAttention (or the additive scores,
 * see `scoring`) + mergeHeads, but every batched product is a groupMatMul over the G = B*H
 * heads. In this layout the projections already are the (steps, G, d) operands several
 * products need, so a dot-product forward and backward pass take 9 transposes (the batch-major
 * layout needs 15, the batched-matMul path 8 plus four times the matMul time). Needs the pass's
 * tape: it exists for the training step.
 */
export function groupedAttention(
  p: HeadProjections,
  mask: Tensor | null,
  dropoutRate: number,
  pass: ForwardPass,
  scoring: GroupedScoring = groupedDotScores,
): AttentionResult {
  const { v: yv, batch: B, queries: Q, keys: K, heads: H } = p;
  const tape = pass.tape;
  if (!tape) throw new Error('groupedAttention runs on the training tape only');
  const D = yv.shape[1]!;
  const d = D / H;
  const G = B * H;
  const v3 = yv.reshape([K, G, d]);
  const s = scoring(p, tape);
  const m = mask ? prepareMask(mask, s.scale, 'qbhk') : null;
  const gradScale: Tensor | number = m ? m.scaled : s.scale;
  const weights = tf.tidy(() => {
    const s4 = s.scores.reshape([Q, B, H, K]);
    let masked = s4;
    if (m) masked = tf.add(tf.mul(s4, m.scaled), m.fill);
    else if (s.scale !== 1) masked = tf.mul(s4, s.scale);
    return tf.softmax(masked, -1); // (Q, B, H, K)
  });
  // The mask the public path draws for (B, H, Q, K), laid out (Q, B, H, K): same masks, same run.
  const dropMask =
    pass.training && dropoutRate > 0
      ? timeMajorWeightsMask(weights.shape, dropoutRate, pass)
      : null;
  const dropped = (dropMask ? tf.mul(weights, dropMask) : weights).reshape([Q, G, K]);
  // O = P V: V is already the (K, G, d) filter and O comes out in the rows' order.
  const output = groupMatMul(tf.transpose(dropped, [0, 2, 1]), v3).reshape([Q * B, D]);
  tape.record([output], ([dy]) => {
    const dO = dy!.reshape([Q, G, d]);
    // dV = P^T dO: dO is already the (Q, G, d) filter
    tape.accumulate(yv, groupMatMul(tf.transpose(dropped, [2, 0, 1]), dO).reshape([K * B, D]));
    // dP = dO V^T
    let dW = groupMatMul(tf.transpose(dO, [0, 2, 1]), tf.transpose(v3, [2, 1, 0])).reshape([
      Q,
      B,
      H,
      K,
    ]);
    if (dropMask) dW = tf.mul(dW, dropMask);
    const dMasked = tf.mul(weights, tf.sub(dW, tf.sum(tf.mul(dW, weights), -1, true)));
    const dScores = gradScale === 1 ? dMasked : tf.mul(dMasked, gradScale);
    s.backward(dScores.reshape([Q, G, K]), tape);
  });
  return { output, weights: tf.transpose(weights, [1, 2, 0, 3]) };
}
