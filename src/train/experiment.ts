import { Hyperparameters } from '../config/hyperparameters';
import { modelConfigOf } from '../config/modelConfig';
import { epochBatches, numBatches } from '../data/batches';
import type { NmtData } from '../data/nmtDataset';
import { Vocab } from '../data/vocab';
import { Transformer } from '../model/transformer';
import { Rng } from '../util/rng';
import type { EpochReport, TrainHooks, TrainSetup, TrainSummary } from './loopTypes';
import { trainModel } from './trainer';
import { loadTrainingData } from './trainingData';

/** A training loop: trainModel (one thread) or a wrapper of trainParallel (two). */
export type Trainer = (setup: TrainSetup, hooks: TrainHooks) => Promise<TrainSummary>;

export interface TrainedModel {
  model: Transformer;
  srcVocab: Vocab;
  tgtVocab: Vocab;
  summary: TrainSummary;
  /** Source/target pairs trained on (the book reads numExamples + 1 lines). */
  pairs: number;
}

/**
 * What training keeps of load_data_nmt: the vocabularies and the index arrays, O(pairs × numSteps)
 * in typed arrays. The tokenised sentences (NmtData's source and target) are not needed: on the
 * whole corpus they are ~80 MB of JavaScript strings and arrays (see loadTrainingData).
 */
export type TrainingData = Omit<NmtData, 'source' | 'target'>;

/** The data and a freshly initialised model, before any training. */
export interface Experiment {
  data: TrainingData;
  model: Transformer;
  hyperparameters: Hyperparameters;
}

export interface ExperimentHooks extends Omit<TrainHooks, 'onEpoch'> {
  /** Once the data and the model are ready, before the first step (minutes before the first
   * epoch ends on the whole corpus). */
  onPrepared?: (experiment: Experiment) => void;
  /** After every epoch, with the model as it is now (for snapshots). */
  onEpoch?: (report: EpochReport, experiment: Experiment) => void | Promise<void>;
}

/** The book's load_data_nmt and model construction (weights from Rng(seed)). */
export function prepareExperiment(rawText: string, h: Hyperparameters): Experiment {
  const data = loadTrainingData(rawText, { numExamples: h.numExamples, numSteps: h.numSteps });
  if (data.src.rows === 0) throw new Error('The corpus has no English<TAB>French pairs');
  const model = new Transformer(modelConfigOf(h, data.srcVocab.size, data.tgtVocab.size), h.seed);
  return { data, model, hyperparameters: h };
}

/**
 * The book's experiment end to end on the raw text of fra.txt: load_data_nmt, build the
 * Transformer, train_seq2seq. Shuffling and dropout draw from Rng(seed + 1).
 *
 * The data is prepared before this returns (a failure there is the promise's rejection), and the
 * raw text is not kept: on the whole corpus it is 22 MB of JavaScript string (UTF-16), which an
 * async function's suspended frame would hold, with its arguments, for the whole training.
 */
export function trainFromText(
  rawText: string,
  h: Hyperparameters,
  hooks: ExperimentHooks = {},
  trainer: Trainer = trainModel,
): Promise<TrainedModel> {
  let experiment: Experiment;
  try {
    experiment = prepareExperiment(rawText, h);
  } catch (err) {
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
  return trainExperiment(experiment, hooks, trainer);
}

/** train_seq2seq on a prepared experiment; the model is disposed if training fails. */
async function trainExperiment(
  experiment: Experiment,
  hooks: ExperimentHooks,
  trainer: Trainer,
): Promise<TrainedModel> {
  const { data, model, hyperparameters: h } = experiment;
  const rng = new Rng(h.seed + 1);
  try {
    hooks.onPrepared?.(experiment);
    const summary = await trainer(
      {
        model,
        numSteps: h.numSteps,
        bos: data.tgtVocab.bos,
        learningRate: h.learningRate,
        numEpochs: h.numEpochs,
        batches: () => epochBatches({ src: data.src, tgt: data.tgt }, h.batchSize, rng),
        batchesPerEpoch: numBatches(data.src.rows, h.batchSize),
        rng,
      },
      {
        signal: hooks.signal,
        onBatch: hooks.onBatch,
        onEpoch: hooks.onEpoch ? (r) => hooks.onEpoch!(r, experiment) : undefined,
      },
    );
    return {
      model,
      srcVocab: data.srcVocab,
      tgtVocab: data.tgtVocab,
      summary,
      pairs: data.src.rows,
    };
  } catch (err) {
    model.dispose();
    throw err;
  }
}
