import { tf, Tensor } from '../model/tf';
import { batchTensors } from './batch';
import { runEpochs } from './epochLoop';
import type { TrainHooks, TrainSetup, TrainSummary } from './loopTypes';
import { bookAdam, trainStep } from './trainStep';

// The loop's vocabulary, for the callers of trainModel (src/train/loopTypes.ts holds it).
export type { BatchReport, EpochReport, TrainHooks, TrainSetup, TrainSummary } from './loopTypes';

/**
 * The book's train_seq2seq: Adam, teacher forcing, loss summed over the batch, gradient clipping,
 * `numEpochs` passes. Yields to the event loop between steps so that a cancel message can
 * arrive. Every tensor it creates is disposed (tf.memory().numTensors is flat across epochs).
 */
export async function trainModel(setup: TrainSetup, hooks: TrainHooks = {}): Promise<TrainSummary> {
  const { model, numSteps, bos, rng } = setup;
  const optimizer = bookAdam(setup.learningRate);
  // The epoch's loss stays on the backend until the epoch ends: no read-back per step. Made at
  // the epoch's first step, so between epochs only the parameters are alive.
  let lossSum = null as Tensor | null; // (assigned in closures: the cast stops narrowing to null)
  try {
    return await runEpochs(setup, hooks, {
      step(batch) {
        const t = batchTensors(batch, numSteps, bos);
        const stepLoss = trainStep(model, optimizer, t, rng, setup.clip ?? 1);
        const prev = lossSum ?? tf.scalar(0);
        lossSum = tf.add(prev, stepLoss);
        tf.dispose([prev, stepLoss, ...Object.values(t)]);
      },
      async takeEpochLoss() {
        if (!lossSum) return 0;
        const loss = (await lossSum.data())[0];
        lossSum.dispose();
        lossSum = null;
        return loss;
      },
    });
  } finally {
    lossSum?.dispose();
    optimizer.dispose();
  }
}
