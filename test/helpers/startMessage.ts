/** A startTraining message for a tiny model on the shared corpus (worker and runTraining tests). */
import * as path from 'node:path';
import { DEFAULT_HYPERPARAMETERS } from '../../src/config/hyperparameters';
import type { StartTrainingMessage } from '../../src/shared/protocol';

export const WASM_DIR = path.join(
  __dirname,
  '../../node_modules/@tensorflow/tfjs-backend-wasm/dist',
);

/** 40 pairs, one layer of width 8, `epochs` epochs of batches of 16; override the rest. */
export function tinyStartMessage(
  epochs: number,
  overrides: Partial<StartTrainingMessage> &
    Pick<StartTrainingMessage, 'corpusPath' | 'checkpointDir'>,
): StartTrainingMessage {
  return {
    type: 'startTraining',
    hyperparameters: {
      ...DEFAULT_HYPERPARAMETERS,
      numHiddens: 8,
      numHeads: 2,
      ffnNumHiddens: 16,
      numLayers: 1,
      numExamples: 40,
      numSteps: 8,
      numEpochs: epochs,
      batchSize: 16,
    },
    backend: 'wasm',
    wasmDir: WASM_DIR,
    gpuModulePaths: [],
    positionMode: 'correct',
    probe: { source: "i'm home .", target: 'je suis chez moi .' },
    snapshotEvery: 2,
    heldOutCount: 10,
    threads: '1',
    ...overrides,
  };
}
