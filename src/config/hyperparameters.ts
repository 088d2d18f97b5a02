// Type only: the extension host bundles this file and must not pull in src/model/.
import type { AttentionFunction } from '../model/config';
import { ChoiceLimit, Limit, checkSetting, real, whole } from './settingLimits';

export type { AttentionFunction };

/** The choices of `attentionFunction`, the default first. */
export const ATTENTION_FUNCTIONS: readonly AttentionFunction[] = ['dotProduct', 'additive'];

/**
 * The hyperparameters of the book's 10.7 experiment, their limits, and validation with messages
 * that name the setting. Shared by the CLI and the extension's settings.
 */
export interface Hyperparameters {
  numHiddens: number;
  numLayers: number;
  numHeads: number;
  ffnNumHiddens: number;
  dropout: number;
  batchSize: number;
  numSteps: number;
  learningRate: number;
  numEpochs: number;
  numExamples: number;
  seed: number;
  /** The scoring function of every attention layer (an experiment beyond the book's 10.7). */
  attentionFunction: AttentionFunction;
}

export const DEFAULT_HYPERPARAMETERS: Readonly<Hyperparameters> = {
  numHiddens: 32,
  numLayers: 2,
  numHeads: 4,
  ffnNumHiddens: 64,
  dropout: 0.1,
  batchSize: 64,
  numSteps: 10,
  learningRate: 0.005,
  numEpochs: 200,
  numExamples: 600,
  seed: 0,
  attentionFunction: 'dotProduct',
};

/** The hyperparameters that are numbers. */
export type NumericHyperparameter = {
  [K in keyof Hyperparameters]: Hyperparameters[K] extends number ? K : never;
}[keyof Hyperparameters];

/** A limit per hyperparameter: a range for numbers, the choices for strings. */
export type Limits = {
  [K in keyof Hyperparameters]: Hyperparameters[K] extends number
    ? Limit
    : ChoiceLimit<Extract<Hyperparameters[K], string>>;
};

/** The pairs in the book's fra.txt; numExamples cannot usefully exceed it. */
export const CORPUS_PAIRS = 167130;

/**
 * The limits of every hyperparameter, in the order people read them, with the CLI's flag for it.
 * package.json's `transformer.*` settings agree (test/unit/settings-table.test.ts).
 */
export const LIMITS: Limits = {
  numHiddens: whole(2, 1024, 'model width (d_model)', 'hidden'),
  numLayers: whole(1, 12, 'encoder and decoder blocks', 'layers'),
  numHeads: whole(1, 64, 'attention heads per layer', 'heads'),
  ffnNumHiddens: whole(1, 8192, 'hidden units of the FFN', 'ffn'),
  dropout: { ...real(0, 1, 'dropout rate', 'dropout'), maxExclusive: true },
  batchSize: whole(1, 4096, 'pairs per mini-batch', 'batch'),
  numSteps: whole(2, 1000, 'tokens per sequence', 'steps'),
  learningRate: real(1e-7, 1, "Adam's learning rate", 'lr'),
  numEpochs: whole(1, 100000, 'passes over the data', 'epochs'),
  numExamples: whole(1, CORPUS_PAIRS, 'pairs to train on', 'examples'),
  seed: whole(0, 2 ** 31 - 1, 'random seed', 'seed'),
  attentionFunction: {
    choices: ATTENTION_FUNCTIONS,
    description: 'attention scoring function',
    flag: 'attention',
  },
};

export type Validation =
  { ok: true; value: Hyperparameters } | { ok: false; errors: string[]; value?: undefined };

/**
 * Fills defaults for missing keys, then checks every value and the combinations that cannot
 * work. `prefix` names settings the way the user sees them (e.g. `transformer.`).
 */
export function validateHyperparameters(input: unknown, prefix = ''): Validation {
  const errors: string[] = [];
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, errors: ['Hyperparameters must be an object'] };
  }
  const raw = input as Record<string, unknown>;
  const value = { ...DEFAULT_HYPERPARAMETERS };
  for (const key of Object.keys(LIMITS) as (keyof Hyperparameters)[]) {
    if (raw[key] === undefined) continue;
    const checked = checkSetting(`${prefix}${key}`, LIMITS[key], raw[key]);
    if (checked.ok) (value as Record<string, unknown>)[key] = checked.value;
    else errors.push(checked.error);
  }
  const unknown = Object.keys(raw).filter((k) => !Object.hasOwn(LIMITS, k));
  if (unknown.length) {
    errors.push(`Unknown hyperparameter(s): ${unknown.map((k) => prefix + k).join(', ')}`);
  }
  if (errors.length === 0 && value.numHiddens % value.numHeads !== 0) {
    errors.push(
      `${prefix}numHiddens (${value.numHiddens}) must be divisible by ${prefix}numHeads ` +
        `(${value.numHeads}): each head gets numHiddens / numHeads dimensions`,
    );
  }
  if (errors.length === 0 && value.numHiddens % 2 !== 0) {
    errors.push(
      `${prefix}numHiddens (${value.numHiddens}) must be even: the positional encoding ` +
        'pairs sine and cosine columns',
    );
  }
  return errors.length ? { ok: false, errors } : { ok: true, value };
}

/**
 * What to tell the user when the corpus ran out before `numExamples` (the book reads
 * numExamples + 1 lines, so 600 gives 601 pairs); null when it did not. `setting` names it as
 * the user set it (`--examples`, `transformer.numExamples`).
 */
export function examplesShortfall(
  numExamples: number,
  pairs: number,
  setting: string,
): string | null {
  if (pairs >= numExamples) return null;
  return `${setting} is ${numExamples} but the corpus has only ${pairs} pairs; all ${pairs} are used`;
}
