import { tf, Tensor } from '../model/tf';
import { oneHotFloat } from '../model/oneHot';

/**
 * The book's MaskedSoftmaxCELoss: cross-entropy per token, zeroed past each label's valid
 * length, then averaged over ALL steps of the sequence (padding included, as `.mean(dim=1)`
 * does). logits (batch, steps, vocab), labels (batch, steps) int32, validLen (batch) int32
 * -> per-sequence loss (batch). Training minimises its sum over the batch.
 */
export function maskedSoftmaxCELoss(logits: Tensor, labels: Tensor, validLen: Tensor): Tensor {
  const [batch, steps, vocab] = logits.shape as [number, number, number];
  const logProbs = tf.logSoftmax(logits.reshape([-1, vocab]), -1); // (batch*steps, vocab)
  const oneHot = oneHotFloat(labels.reshape([-1]), vocab);
  const perToken = tf.neg(tf.sum(tf.mul(oneHot, logProbs), -1)).reshape([batch, steps]);
  const positions = tf.range(0, steps, 1, 'int32').reshape([1, steps]);
  const weights = tf.cast(tf.less(positions, validLen.reshape([batch, 1])), 'float32');
  return tf.div(tf.sum(tf.mul(perToken, weights), 1), steps); // (batch)
}
