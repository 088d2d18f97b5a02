import { tf, Tensor } from './tf';
import { Tape } from './tape';
import { prepareMask } from './ops/maskCache';
import { maskTensor } from './ops/dropout';
import { ForwardContext, dropoutSeed } from './context';

/** What an attention function returns: the output and the weights it used (for capture). */
export interface AttentionResult {
  output: Tensor;
  weights: Tensor;
}

/**
 * Scaled dot-product attention (the book's DotProductAttention):
 * softmax(Q K^T / sqrt(d)) V, with masked keys, dropout on the weights.
 *
 * queries (..., Q, d), keys (..., K, d), values (..., K, v); mask broadcasts to (..., Q, K).
 * Returns output (..., Q, v) and weights (..., Q, K).
 */
export function dotProductAttention(
  queries: Tensor,
  keys: Tensor,
  values: Tensor,
  mask: Tensor | null,
  dropoutRate: number,
  ctx: ForwardContext,
): AttentionResult {
  return scaledDotProductAttention(
    queries,
    keys,
    values,
    mask,
    dropoutRate,
    ctx.training,
    () => dropoutSeed(ctx),
    ctx.tape,
  );
}

/**
 * Scaled dot-product attention, queries (B, H, Q, d), keys (B, H, K, d), values (B, H, K, v);
 * mask (broadcasting to (B, H, Q, K)) or null. Returns the output (B, H, Q, v) and the weights
 * before dropout (B, H, Q, K), as the book stores them.
 */
function scaledDotProductAttention(
  q: Tensor,
  k: Tensor,
  v: Tensor,
  mask: Tensor | null,
  dropoutRate: number,
  training: boolean,
  seed: () => number,
  tape?: Tape,
): { output: Tensor; weights: Tensor } {
  const scale = Math.fround(1 / Math.sqrt(q.shape[q.rank - 1]!));
  const scores = tf.matMul(q, k, false, true); // (B, H, Q, K)
  let masked: Tensor;
  let gradScale: Tensor | number;
  if (mask) {
    const m = prepareMask(mask, scale, 'bhqk');
    masked = tf.add(tf.mul(scores, m.scaled), m.fill);
    gradScale = m.scaled;
  } else {
    masked = tf.mul(scores, scale);
    gradScale = scale;
  }
  const weights = tf.softmax(masked, -1);
  let dropMask: Tensor | null = null;
  let dropped = weights;
  if (training && dropoutRate > 0) {
    dropMask = maskTensor(weights.shape, dropoutRate, seed());
    dropped = tf.mul(weights, dropMask);
  }
  const output = tf.matMul(dropped, v);
  if (tape) {
    tape.record([output], ([dO]) => {
      tape.accumulate(v, tf.matMul(dropped, dO!, true, false));
      let dW = tf.matMul(dO!, v, false, true);
      if (dropMask) dW = tf.mul(dW, dropMask);
      const dMasked = tf.mul(weights, tf.sub(dW, tf.sum(tf.mul(dW, weights), -1, true)));
      const dScores = tf.mul(dMasked, gradScale);
      tape.accumulate(q, tf.matMul(dScores, k));
      tape.accumulate(k, tf.matMul(dScores, q, true, false));
    });
  }
  return { output, weights };
}
