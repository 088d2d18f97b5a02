import { tf, Tensor } from './tf';
import { ForwardContext, ForwardPass } from './context';
import { Tape } from './tape';
import { prepareMask } from './ops/maskCache';
import { dropoutMaskTensor } from './ops/dropout';

/** What an attention function returns: the output and the weights it used (for capture). */
export interface AttentionResult {
  output: Tensor;
  weights: Tensor;
}

/**
 * Scaled dot-product attention (the book's DotProductAttention):
 * softmax(Q K^T / sqrt(d)) V, with masked keys, dropout on the weights.
 *
 * q: queries (..., Q, d), k: keys (..., K, d), v: values (..., K, v); mask (1 keep, 0 masked)
 * broadcasts to (..., Q, K) or is null. Returns output (..., Q, v) and the weights before
 * dropout (..., Q, K), as the book stores them. Records its backward pass on the pass's tape
 * (batched matMuls; the training step on wasm uses ops/groupedAttention.ts instead).
 */
export function dotProductAttention(
  q: Tensor,
  k: Tensor,
  v: Tensor,
  mask: Tensor | null,
  dropoutRate: number,
  ctx: ForwardContext,
): AttentionResult {
  const scale = Math.fround(1 / Math.sqrt(q.shape[q.rank - 1]!));
  const scores = tf.matMul(q, k, false, true); // (B, H, Q, K)
  return attendToValues(scores, scale, v, mask, dropoutRate, ctx, (dScores, tape) => {
    tape.accumulate(q, tf.matMul(dScores, k));
    tape.accumulate(k, tf.matMul(dScores, q, true, false));
  });
}

/**
 * What every scoring function shares once it has its scores (..., Q, K): the masked softmax of
 * scores * scale (the book's masked_softmax: masked keys get -1e6), dropout on the weights, the
 * product with values (..., K, v). Returns the output and the weights before dropout. On the
 * pass's tape it records the backward pass down to the scores, whose gradient dScores (the
 * scale and mask applied) `scoresBackward` carries on to the scores' inputs.
 */
export function attendToValues(
  scores: Tensor,
  scale: number,
  v: Tensor,
  mask: Tensor | null,
  dropoutRate: number,
  ctx: ForwardContext,
  scoresBackward: (dScores: Tensor, tape: Tape) => void,
): AttentionResult {
  const pass = ForwardPass.of(ctx);
  let masked: Tensor;
  let gradScale: Tensor | number;
  if (mask) {
    const m = prepareMask(mask, scale, 'bhqk');
    masked = tf.add(tf.mul(scores, m.scaled), m.fill);
    gradScale = m.scaled;
  } else {
    masked = scale === 1 ? scores : tf.mul(scores, scale);
    gradScale = scale;
  }
  const weights = tf.softmax(masked, -1);
  let dropMask: Tensor | null = null;
  let dropped = weights;
  if (pass.training && dropoutRate > 0) {
    dropMask = dropoutMaskTensor(weights.shape, dropoutRate, pass);
    dropped = tf.mul(weights, dropMask);
  }
  const output = tf.matMul(dropped, v);
  const tape = pass.tape;
  if (tape) {
    tape.record([output], ([dO]) => {
      tape.accumulate(v, tf.matMul(dropped, dO!, true, false));
      let dW = tf.matMul(dO!, v, false, true);
      if (dropMask) dW = tf.mul(dW, dropMask);
      const dMasked = tf.mul(weights, tf.sub(dW, tf.sum(tf.mul(dW, weights), -1, true)));
      scoresBackward(gradScale === 1 ? dMasked : tf.mul(dMasked, gradScale), tape);
    });
  }
  return { output, weights };
}
