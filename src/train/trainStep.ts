import { tf, Tensor } from '../model/tf';
import { Transformer } from '../model/transformer';
import { Tape } from '../model/tape';
import { ForwardPass } from '../model/context';
import { FastPath } from '../model/ops/fastPath';
import { Rng } from '../util/rng';
import { BatchTensors } from './batch';
import { BookAdam, readFlat } from './adam';
import { clipByGlobalNorm } from './gradClip';
import { maskedSoftmaxCELoss, maskedSoftmaxCELossSum } from './loss';
import { chunksOutputLayer, outputLayerLossSum } from './outputLayerLoss';

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
 * Forward in training mode and backward on a `Tape` (the fast path; same values as
 * tf.variableGrads of `batchLoss`): the batch's summed loss (scalar) and the gradient of every
 * variable of `model.params.variables()`, in that order (zeros where none reached). Call inside
 * tf.tidy: every intermediate tensor belongs to the caller's scope. `fastPath`: the current
 * backend's when absent (tests pass one with fewer capabilities, see ForwardContext).
 */
export function tapeGradients(
  model: Transformer,
  t: BatchTensors,
  rng: Rng | undefined,
  fastPath?: FastPath,
): { loss: Tensor; grads: Tensor[] } {
  const tape = new Tape();
  // The pass decides the layout: time-major (logits (steps, batch, vocab)) where the attention
  // runs grouped, on wasm (see ForwardPass.timeMajor).
  const pass = ForwardPass.of({ training: true, rng, tape, fastPath });
  const loss = tapedLoss(model, t, pass);
  tape.backward(loss, tf.onesLike(loss));
  const grads = model.params.variables().map((v) => tape.gradOf(v) ?? tf.zerosLike(v));
  return { loss, grads };
}

/** The batch's summed loss on the pass's Tape; the output layer in chunks for large vocabularies. */
function tapedLoss(model: Transformer, t: BatchTensors, pass: ForwardPass): Tensor {
  if (chunksOutputLayer(t.labels.size, model.config.tgtVocabSize, pass.fastPath)) {
    const enc = model.encoder.apply(t.encX, t.encValidLens, pass);
    const { output } = model.decoder.hiddenStates(t.decX, enc, pass);
    return outputLayerLossSum(output, model.decoder.dense, t.labels, t.labelValidLens, pass);
  }
  const { logits } = model.apply(t.encX, t.encValidLens, t.decX, pass);
  return maskedSoftmaxCELossSum(logits, t.labels, t.labelValidLens, pass.tape, pass.timeMajor);
}

/**
 * One step of the book's train_seq2seq inner loop: forward in training mode, backward
 * (`tapeGradients`), clip the global gradient norm to `clip`, Adam update. Returns the batch's
 * summed loss as a scalar tensor the caller owns. With the optimizer from `bookAdam` the update
 * runs in JavaScript (see BookAdam); any other tf.Optimizer gets the clipped gradients through
 * applyGradients.
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
    const { loss, grads } = tapeGradients(model, t, rng);
    if (optimizer instanceof BookAdam) {
      const size = vars.reduce((n, v) => n + v.size, 0);
      optimizer.applyFlat(vars, readFlat(grads, optimizer.gradientBuffer(size)), clip);
    } else {
      const named: Record<string, Tensor> = {};
      vars.forEach((v, i) => (named[v.name] = grads[i]));
      optimizer.applyGradients(clipByGlobalNorm(named, clip).grads);
    }
    return loss;
  });
}

/** Adam as PyTorch's defaults have it (betas 0.9/0.999, eps 1e-8; tfjs defaults eps to 1e-7). */
export function bookAdam(learningRate: number): tf.Optimizer {
  return new BookAdam(learningRate, 0.9, 0.999, 1e-8);
}
