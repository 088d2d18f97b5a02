import { tf, Tensor } from './tf';

/**
 * The book's masked softmax. Scores at masked key positions are replaced by -1e6 before the
 * softmax, so they get (exactly) zero weight and no gradient.
 *
 * A mask is a 0/1 float tensor that broadcasts against the scores (..., queries, keys):
 * 1 keeps a key, 0 masks it. Building it once per forward pass and sharing it across layers and
 * heads is what `maskFromValidLens` and `causalMask` are for.
 */
export const MASKED_VALUE = -1e6;

export function applyMask(scores: Tensor, mask: Tensor | null): Tensor {
  if (!mask) return scores;
  // scores * 1 + 0 keeps a score bit for bit; scores * 0 - 1e6 is the book's fill value.
  const fill = tf.mul(tf.sub(1, mask), MASKED_VALUE);
  return tf.add(tf.mul(scores, mask), fill);
}

/** softmax over the last axis (keys) after masking. */
export function maskedSoftmaxWithMask(scores: Tensor, mask: Tensor | null): Tensor {
  return tf.softmax(applyMask(scores, mask), -1);
}

/**
 * Mask from valid lengths, as the book's `masked_softmax(X, valid_lens)` reads them.
 * - 1-D validLens (batch): every query of row b sees keys 0..validLens[b]-1 -> (batch, 1, keys)
 * - 2-D validLens (batch, queries): query q of row b sees keys 0..validLens[b, q]-1
 *   -> (batch, queries, keys)
 */
export function maskFromValidLens(validLens: Tensor, numKeys: number): Tensor {
  return tf.tidy(() => {
    const positions = tf.range(0, numKeys, 1, 'int32'); // (keys)
    const lens = validLens.rank === 1 ? validLens.reshape([-1, 1, 1]) : validLens.expandDims(-1);
    return tf.cast(tf.less(positions, lens), 'float32');
  });
}

/** Lower-triangular (steps, steps) mask: query i sees keys 0..i (valid lengths 1..T). */
export function causalMask(steps: number): Tensor {
  return tf.tidy(() => {
    const q = tf.range(0, steps, 1, 'int32').reshape([-1, 1]);
    const k = tf.range(0, steps, 1, 'int32').reshape([1, -1]);
    return tf.cast(tf.lessEqual(k, q), 'float32');
  });
}

/**
 * The book's function with its own signature: X (batch, queries, keys) and valid lengths that are
 * 1-D (batch) or 2-D (batch, queries), or undefined for a plain softmax.
 */
export function maskedSoftmax(X: Tensor, validLens?: Tensor): Tensor {
  if (!validLens) return tf.softmax(X, -1);
  return tf.tidy(() => maskedSoftmaxWithMask(X, maskFromValidLens(validLens, X.shape[2]!)));
}
