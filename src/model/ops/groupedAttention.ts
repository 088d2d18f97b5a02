import { tf, Tensor } from '../tf';
import type { ForwardPass } from '../context';
import type { AttentionResult } from '../attention';
import { PreparedMask, prepareMask } from './maskCache';
import { timeMajorWeightsMask } from './dropout';
import type { Tape } from '../tape';
import { groupProductsOf } from './groupProducts';

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

/**
 * A scoring function of the grouped layout: the projections -> their scores (Q, G, K), on the
 * training pass (its tape, its fast path's products).
 */
export type GroupedScoring = (p: HeadProjections, pass: ForwardPass) => GroupedScores;

/** Scaled dot-product scores per head, Q K^T (scaled by 1/sqrt(d) in the softmax). */
export const groupedDotScores: GroupedScoring = (p, pass) => {
  const { q: yq, k: yk, batch: B, queries: Q, keys: K, heads: H } = p;
  const products = groupProductsOf(pass.fastPath);
  const D = yq.shape[1]!;
  const d = D / H;
  const q3 = yq.reshape([Q, B * H, d]);
  const k3 = yk.reshape([K, B * H, d]);
  return {
    scores: tf.tidy(() => products.dots(q3, k3)),
    scale: Math.fround(1 / Math.sqrt(d)),
    backward(dScores, tape) {
      // dQ = dS K, dK = dS^T Q
      tape.accumulate(yq, products.weighted(dScores, k3).reshape([Q * B, D]));
      tape.accumulate(yk, products.weighted(dScores, q3, true).reshape([K * B, D]));
    },
  };
};

/**
 * Multi-head attention from the projections, for the training step on wasm in the time-major
 * layout -> the heads' merged output (Q*B, H*d), in the queries' row order, and the weights
 * (B, H, Q, K). Same arithmetic as splitHeads + dotProductAttention (or the additive scores,
 * see `scoring`) + mergeHeads, but every batched product is one over the G = B*H
 * heads (ops/groupProducts.ts). In this layout the projections already are the (steps, G, d)
 * operands of the products: with the fused kernels no operand is transposed; as XNNPACK
 * convolutions a dot-product forward and backward pass take 9 transposes (the batch-major
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
  const s = scoring(p, pass);
  const products = groupProductsOf(pass.fastPath);
  const m = mask ? prepareMask(mask, s.scale, 'qbhk') : null;
  const softmax = pass.fastPath.kernels ? kernelSoftmax : opsSoftmax;
  const { weights, dropped, backward } = softmax(s, m, [Q, B, H, K], dropoutRate, pass);
  // O = P V: V is already the (K, G, d) filter and O comes out in the rows' order.
  const output = products.weighted(dropped, v3).reshape([Q * B, D]);
  tape.record([output], ([dy]) => {
    const dO = dy!.reshape([Q, G, d]);
    // dV = P^T dO: dO is already the (Q, G, d) filter
    tape.accumulate(yv, products.weighted(dropped, dO, true).reshape([K * B, D]));
    // dP = dO V^T
    const dP = products.dots(dO, v3);
    s.backward(backward(dP.reshape([Q, B, H, K])), tape);
  });
  return { output, weights: tf.transpose(weights, [1, 2, 0, 3]) };
}

/**
 * The masked softmax over the keys and the dropout of its weights: the weights (Q, B, H, K), the
 * dropped weights (Q, G, K) and the way back from the dropped weights' gradient (Q, B, H, K) to
 * the scores' (Q, G, K), the mask's factor applied.
 */
type SoftmaxWithDropout = (
  s: GroupedScores,
  m: PreparedMask | null,
  shape: [number, number, number, number],
  dropoutRate: number,
  pass: ForwardPass,
) => { weights: Tensor; dropped: Tensor; backward(dDropped: Tensor): Tensor };

/** As tfjs ops: the mask in two kernels (maskCache.ts), softmax, dropout. */
const opsSoftmax: SoftmaxWithDropout = (s, m, [Q, B, H, K], dropoutRate, pass) => {
  const weights = tf.tidy(() => {
    const s4 = s.scores.reshape([Q, B, H, K]);
    let masked = s4;
    if (m) masked = tf.add(tf.mul(s4, m.scaled), m.fill);
    else if (s.scale !== 1) masked = tf.mul(s4, s.scale);
    return tf.softmax(masked, -1);
  });
  const dropMask = dropMaskOf(weights.shape, dropoutRate, pass);
  const gradScale: Tensor | number = m ? m.scaled : s.scale;
  return {
    weights,
    dropped: (dropMask ? tf.mul(weights, dropMask) : weights).reshape([Q, B * H, K]),
    backward(dDropped) {
      const dW = dropMask ? tf.mul(dDropped, dropMask) : dDropped;
      const dMasked = tf.mul(weights, tf.sub(dW, tf.sum(tf.mul(dW, weights), -1, true)));
      return (gradScale === 1 ? dMasked : tf.mul(dMasked, gradScale)).reshape([Q, B * H, K]);
    },
  };
};

/**
 * Through the fused kernel (ops/wasm/softmax.as.ts): one call forward, one backward. The same
 * dropout mask, drawn at the same point of the run's random stream.
 */
const kernelSoftmax: SoftmaxWithDropout = (s, m, shape, dropoutRate, pass) => {
  const [Q, B, H, K] = shape;
  const fast = pass.fastPath;
  const kernel = fast.kernels!.softmax;
  const read = (t: Tensor) => fast.read(t) as Float32Array;
  const dropMask = dropMaskOf(shape, dropoutRate, pass);
  // read() views the backend's heap: every input is read, and copied by the kernel, before
  // anything is allocated there
  const mask = () =>
    m ? { scaled: read(m.scaled), fill: read(m.fill), shape: m.scaled.shape } : null;
  const dims = { shape, scale: s.scale };
  const out = kernel.forward(read(s.scores), mask(), dropMask && read(dropMask), dims);
  const weights = tf.tensor4d(out.weights, shape);
  const dropped = out.dropped
    ? tf.tensor3d(out.dropped, [Q, B * H, K])
    : weights.reshape([Q, B * H, K]);
  return {
    weights,
    dropped,
    backward(dDropped) {
      const drop = dropMask && read(dropMask);
      const dScores = kernel.backward(read(dDropped), drop, read(weights), mask(), dims);
      return tf.tensor3d(dScores, [Q, B * H, K]);
    },
  };
};

/** The dropout mask of the weights in training (the public path's masks, time-major), or null. */
function dropMaskOf(shape: number[], dropoutRate: number, pass: ForwardPass): Tensor | null {
  return pass.training && dropoutRate > 0 ? timeMajorWeightsMask(shape, dropoutRate, pass) : null;
}
