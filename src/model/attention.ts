import { Tensor } from './tf';
import { ForwardContext, dropoutSeed } from './context';
import { scaledDotProductAttention } from './ops';

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
