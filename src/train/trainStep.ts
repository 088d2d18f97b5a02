import { tf, Tensor } from '../model/tf';
import { Transformer } from '../model/transformer';
import { Rng } from '../util/rng';
import { BatchTensors } from './batch';
import { clipByGlobalNorm } from './gradClip';
import { maskedSoftmaxCELoss } from './loss';

/** The loss the book backpropagates: the sum over the batch of per-sequence masked CE. */
export function batchLoss(
  model: Transformer,
  t: BatchTensors,
  ctx: { training: boolean; rng?: Rng },
) {
  const { logits } = model.apply(t.encX, t.encValidLens, t.decX, ctx);
  return tf.sum(maskedSoftmaxCELoss(logits, t.labels, t.labelValidLens));
}

/**
 * One step of the book's train_seq2seq inner loop: forward in training mode, backward, clip the
 * global gradient norm to `clip`, Adam update. Returns the batch's summed loss as a scalar tensor
 * the caller owns (read it when convenient: reading forces a sync).
 */
export function trainStep(
  model: Transformer,
  optimizer: tf.Optimizer,
  t: BatchTensors,
  rng: Rng,
  clip = 1,
): Tensor {
  return tf.tidy(() => {
    const vars = model.params.variables();
    const { value, grads } = tf.variableGrads(
      () => batchLoss(model, t, { training: true, rng }) as tf.Scalar,
      vars,
    );
    optimizer.applyGradients(clipByGlobalNorm(grads, clip).grads);
    return value;
  });
}

/** Adam as PyTorch's defaults have it (betas 0.9/0.999, eps 1e-8; tfjs defaults eps to 1e-7). */
export function bookAdam(learningRate: number): tf.Optimizer {
  return tf.train.adam(learningRate, 0.9, 0.999, 1e-8);
}
