/**
 * The training panel's host messages for the browser harness: a run that starts, 50 epochs of a
 * falling loss, and the finished run with its seed translations and held-out scores.
 */
import { DEFAULT_HYPERPARAMETERS } from '../../../src/config/hyperparameters';
import type { EpochPoint, ScoredSentence } from '../../../src/shared/protocol';
import type { Fixtures } from '../fixtures';

export const NUM_EPOCHS = 50;

export function seed(
  source: string,
  reference: string,
  translation: string,
  bleu: number,
): ScoredSentence {
  return { source, reference, translation, bleu, unknownTokens: [] };
}

/** The four seed sentences as a trained model translates them (one <unk>). */
export const SEEDS: ScoredSentence[] = [
  seed('go .', 'va !', 'va !', 1),
  seed('i lost .', "j'ai perdu .", "j'ai perdu .", 1),
  seed("he's calm .", 'il est calme .', 'il est <unk> .', 0.658),
  seed("i'm home .", 'je suis chez moi .', 'je suis chez moi .', 1),
];

function epochs(): EpochPoint[] {
  return Array.from({ length: NUM_EPOCHS }, (_, i) => {
    const epoch = i + 1;
    const noise = 0.04 * Math.sin(epoch * 1.7);
    return {
      epoch,
      numEpochs: NUM_EPOCHS,
      lossPerToken: 0.08 + 4.2 * Math.exp(-epoch / 9) + noise * Math.exp(-epoch / 30),
      tokensPerSecond: 21000 + 800 * Math.sin(epoch),
      elapsedSeconds: epoch * 1.9,
      steps: epoch * 10,
    };
  });
}

export function trainingMessages(): Pick<Fixtures, 'trainingStart' | 'epochs' | 'trainingDone'> {
  const points = epochs();
  const last = points[points.length - 1];
  const base = {
    type: 'trainingState' as const,
    hyperparameters: { ...DEFAULT_HYPERPARAMETERS, numEpochs: NUM_EPOCHS },
    backend: {
      name: 'wasm',
      label: 'WebAssembly (SIMD)',
      reason: 'gpu unavailable: @tensorflow/tfjs-node-gpu is not installed',
    },
    heldOut: null,
    summary: null,
  };
  return {
    trainingStart: {
      ...base,
      status: 'training',
      statusText: 'Training on 600 pairs (10 batches per epoch)',
      points: [],
      seeds: [],
    },
    epochs: points,
    trainingDone: {
      ...base,
      status: 'finished',
      statusText: `Finished ${NUM_EPOCHS} epochs; checkpoint saved`,
      points,
      seeds: SEEDS,
      heldOut: { count: 200, meanBleu2: 0.412, corpusBleu4: 0.187 },
      summary: {
        epochsCompleted: NUM_EPOCHS,
        lossPerToken: last.lossPerToken,
        tokensPerSecond: last.tokensPerSecond,
        seconds: last.elapsedSeconds,
        cancelled: false,
      },
    },
  };
}
