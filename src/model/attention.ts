import { tf, Tensor } from './tf';
import { ForwardContext, dropout } from './context';
import { maskedSoftmaxWithMask } from './maskedSoftmax';

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
  const d = queries.shape[queries.rank - 1]!;
  const scores = tf.div(tf.matMul(queries, keys, false, true), Math.sqrt(d)); // (..., Q, K)
  const weights = maskedSoftmaxWithMask(scores, mask);
  const output = tf.matMul(dropout(weights, dropoutRate, ctx), values); // (..., Q, v)
  return { output, weights };
}
