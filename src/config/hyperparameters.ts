// Type only: the extension host bundles this file and must not pull in src/model/.
import type { AttentionFunction } from '../model/config';

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

/** The range of a numeric hyperparameter. */
export interface Limit {
  min: number;
  max: number;
  integer: boolean;
  /** Whether the upper bound is exclusive (dropout < 1). */
  maxExclusive?: boolean;
  description: string;
}

/** The allowed values of a hyperparameter that is one of a few strings. */
export interface ChoiceLimit<T extends string = string> {
  choices: readonly T[];
  description: string;
}

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

export function isChoiceLimit(limit: Limit | ChoiceLimit): limit is ChoiceLimit {
  return 'choices' in limit;
}

/** The pairs in the book's fra.txt; numExamples cannot usefully exceed it. */
export const CORPUS_PAIRS = 167130;

export const LIMITS: Limits = {
  numHiddens: { min: 2, max: 1024, integer: true, description: 'model width (d_model)' },
  numLayers: { min: 1, max: 12, integer: true, description: 'encoder and decoder blocks' },
  numHeads: { min: 1, max: 64, integer: true, description: 'attention heads per layer' },
  ffnNumHiddens: { min: 1, max: 8192, integer: true, description: 'hidden units of the FFN' },
  dropout: { min: 0, max: 1, integer: false, maxExclusive: true, description: 'dropout rate' },
  batchSize: { min: 1, max: 4096, integer: true, description: 'pairs per mini-batch' },
  numSteps: { min: 2, max: 1000, integer: true, description: 'tokens per sequence' },
  learningRate: { min: 1e-7, max: 1, integer: false, description: "Adam's learning rate" },
  numEpochs: { min: 1, max: 100000, integer: true, description: 'passes over the data' },
  numExamples: { min: 1, max: CORPUS_PAIRS, integer: true, description: 'pairs to train on' },
  seed: { min: 0, max: 2 ** 31 - 1, integer: true, description: 'random seed' },
  attentionFunction: {
    choices: ATTENTION_FUNCTIONS,
    description: 'attention scoring function',
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
    const v = raw[key];
    if (v === undefined) continue;
    const name = `${prefix}${key}`;
    const lim: Limit | ChoiceLimit = LIMITS[key];
    if (isChoiceLimit(lim)) {
      if (typeof v !== 'string' || !lim.choices.includes(v)) {
        const choices = lim.choices.map((c) => JSON.stringify(c)).join(' or ');
        const got = typeof v === 'number' ? String(v) : JSON.stringify(v);
        errors.push(`${name} (${lim.description}) must be ${choices} (got ${got})`);
        continue;
      }
      (value as Record<string, unknown>)[key] = v;
      continue;
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      // String(NaN) is 'NaN' where JSON.stringify would say null.
      const got = typeof v === 'number' ? String(v) : JSON.stringify(v);
      errors.push(`${name} must be a number (got ${got})`);
      continue;
    }
    if (lim.integer && !Number.isInteger(v)) {
      errors.push(`${name} must be a whole number (got ${v})`);
      continue;
    }
    const tooHigh = lim.maxExclusive ? v >= lim.max : v > lim.max;
    if (v < lim.min || tooHigh) {
      const upper = lim.maxExclusive ? `below ${lim.max}` : `at most ${lim.max}`;
      errors.push(
        `${name} (${lim.description}) must be at least ${lim.min} and ${upper} (got ${v})`,
      );
      continue;
    }
    (value as Record<string, unknown>)[key] = v;
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
