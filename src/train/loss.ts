import { tf, Tensor } from '../model/tf';
import { oneHotFloat } from '../model/oneHot';
import { Tape } from '../model/tape';

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

/** Smallest positive normal float32: -log of it (~87.3) caps one token's loss. */
const TINY = 1.1754943508222875e-38;

/**
 * The training step's loss on a `Tape`: the sum over the batch of maskedSoftmaxCELoss, computed
 * from one softmax (XNNPACK on wasm; tf.logSoftmax and its gradient cost two slow scalar exp
 * passes there) with the closed-form gradient (softmax - onehot) * token weight.
 * -log p is taken from the softmax itself, so a token whose probability underflows float32
 * (a logit gap above ~87) counts 87.3 instead of its true loss; its gradient is unaffected.
 */
export function maskedSoftmaxCELossSum(
  logits: Tensor,
  labels: Tensor,
  validLen: Tensor,
  tape?: Tape,
  timeMajor = false,
): Tensor {
  // logits (batch, steps, vocab), or (steps, batch, vocab) in the time-major layout.
  const [batch, steps] = labels.shape as [number, number];
  const vocab = logits.shape[2]!;
  const n = batch * steps;
  const p = tf.softmax(logits.reshape([n, vocab]), -1);
  const ids = timeMajor ? tf.transpose(labels) : labels;
  const oneHot = oneHotFloat(ids.reshape([-1]), vocab);
  // Token weights: 1/steps inside the valid length, 0 past it (the book's mask, then .mean(dim=1)).
  const inside = timeMajor
    ? tf.less(tf.range(0, steps, 1, 'int32').reshape([steps, 1]), validLen.reshape([1, batch]))
    : tf.less(tf.range(0, steps, 1, 'int32').reshape([1, steps]), validLen.reshape([batch, 1]));
  const weights = tf.div(tf.cast(inside, 'float32'), steps).reshape([n]);
  const perToken = tf.neg(tf.log(tf.maximum(tf.sum(tf.mul(p, oneHot), -1), TINY)));
  const loss = tf.sum(tf.mul(perToken, weights));
  if (tape) {
    tape.record([loss], ([dy]) => {
      const g = tf.mul(tf.sub(p, oneHot), tf.mul(weights, dy!).reshape([n, 1]));
      tape.accumulate(logits, g.reshape(logits.shape));
    });
  }
  return loss;
}
