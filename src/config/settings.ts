/**
 * Every `transformer.*` setting in one table: the hyperparameters (LIMITS and
 * DEFAULT_HYPERPARAMETERS in ./hyperparameters.ts) and the settings of a run, the corpus, decoding
 * and the run history (RUN_SETTINGS below). The extension reads its settings through it
 * (src/host/settings.ts), the CLI builds its flags from it (src/cli/args.ts), and
 * package.json's `contributes.configuration` must agree with it (test/unit/settings-table.test.ts).
 */
import { FRA_ENG_SHA1, FRA_ENG_URL } from '../data/corpus';
import {
  BACKEND_CHOICES,
  BackendChoice,
  DECODING_KINDS,
  DecodingKind,
  POSITION_MODES,
  PositionMode,
  TRAINING_THREADS,
  TrainingThreads,
} from './choices';
import { DEFAULT_HYPERPARAMETERS, Hyperparameters, LIMITS } from './hyperparameters';
import {
  ChoiceLimit,
  Checked,
  Limit,
  SettingLimit,
  TextLimit,
  checkSetting,
  real,
  whole,
} from './settingLimits';

/** The settings section: `transformer.numHeads`. */
export const SECTION = 'transformer';

/** An entry of the table: its limit (a range, a few choices, or free text) and its default. */
export type Setting<T> = ([T] extends [number]
  ? Limit
  : string extends T
    ? TextLimit
    : ChoiceLimit<Extract<T, string>>) & { default: T };

/** The settings that are not hyperparameters, each with its default. */
export interface RunSettingValues {
  backend: BackendChoice;
  positionMode: PositionMode;
  trainingThreads: TrainingThreads;
  snapshotEvery: number;
  heldOutCount: number;
  runHistoryLimitMB: number;
  decoding: DecodingKind;
  beamSize: number;
  lengthPenalty: number;
  corpusPath: string;
  corpusUrl: string;
  corpusSha1: string;
}

export const RUN_SETTINGS: { [K in keyof RunSettingValues]: Setting<RunSettingValues[K]> } = {
  backend: {
    choices: BACKEND_CHOICES,
    default: 'auto',
    description: 'TensorFlow.js backend',
    flag: 'backend',
  },
  positionMode: {
    choices: POSITION_MODES,
    default: 'correct',
    description: "positional encoding of the decoder's one-token input",
    flag: 'positions',
  },
  trainingThreads: {
    choices: TRAINING_THREADS,
    default: 'auto',
    description: 'training threads',
    flag: 'threads',
  },
  snapshotEvery: { ...whole(1, 10000, 'epochs between attention snapshots'), default: 10 },
  heldOutCount: { ...whole(0, 100000, 'held-out pairs scored after training'), default: 200 },
  runHistoryLimitMB: { ...real(10, Infinity, 'size of the run history'), default: 500 },
  decoding: { choices: DECODING_KINDS, default: 'greedy', description: 'decoding' },
  beamSize: { ...whole(1, 10, 'outputs beam search keeps'), default: 3 },
  lengthPenalty: { ...real(0, 2, "beam search's length penalty alpha"), default: 0.75 },
  corpusPath: { text: true, default: '', description: 'a local fra.txt or zip' },
  corpusUrl: {
    text: true,
    pattern: /^https?:\/\//,
    patternMeans: 'an http(s) URL',
    default: FRA_ENG_URL,
    description: 'where the corpus zip is downloaded from',
  },
  corpusSha1: {
    text: true,
    pattern: /^[0-9a-fA-F]{40}$/,
    patternMeans: "40 hexadecimal characters (the zip's SHA-1)",
    default: FRA_ENG_SHA1,
    description: 'SHA-1 of the corpus zip',
  },
};

export type SettingKey = keyof Hyperparameters | keyof RunSettingValues;

/** Every `transformer.*` setting: its limit and its default. */
export const SETTINGS: Readonly<Record<SettingKey, SettingLimit & { default: unknown }>> = {
  ...(Object.fromEntries(
    Object.entries(LIMITS).map(([key, limit]) => [
      key,
      { ...limit, default: DEFAULT_HYPERPARAMETERS[key as keyof Hyperparameters] },
    ]),
  ) as Record<keyof Hyperparameters, SettingLimit & { default: unknown }>),
  ...RUN_SETTINGS,
};

/**
 * The value of setting `key` checked against its entry, or a message naming it as
 * `${prefix}${key}` (`transformer.snapshotEvery`). Values are not converted: "10" is not 10.
 */
export function checkRunSetting<K extends keyof RunSettingValues>(
  key: K,
  value: unknown,
  prefix = `${SECTION}.`,
): Checked<RunSettingValues[K]> {
  return checkSetting(`${prefix}${key}`, RUN_SETTINGS[key], value) as Checked<RunSettingValues[K]>;
}

/**
 * The Settings editor's titled sections, in order, each with its settings in order
 * (contributes.configuration is one section per entry; test/unit/settings-table.test.ts).
 */
export const SETTING_CATEGORIES: Readonly<Record<string, readonly SettingKey[]>> = {
  model: ['numLayers', 'numHiddens', 'numHeads', 'ffnNumHiddens', 'dropout', 'attentionFunction'],
  training: [
    'numEpochs',
    'batchSize',
    'learningRate',
    'seed',
    'snapshotEvery',
    'heldOutCount',
    'runHistoryLimitMB',
  ],
  data: ['numExamples', 'numSteps', 'corpusPath', 'corpusUrl', 'corpusSha1'],
  decoding: ['decoding', 'beamSize', 'lengthPenalty', 'positionMode'],
  backend: ['backend', 'trainingThreads'],
};

/**
 * Where a setting may be set, in VS Code's terms; 'window' (user or workspace) for the rest. The
 * run history's limit may not come from a workspace: the history is shared by every window and
 * the limit deletes runs. The backend, threads and corpus path stay 'window': as
 * 'machine-overridable' a remote window (code-server, SSH, WSL) drops their values from the user
 * settings once the remote's own settings load, and the e2e's corpusPath vanished between
 * training (read) and the next translation (gone: no reference, "corpus not on this machine").
 */
export const SETTING_SCOPES: Readonly<Partial<Record<SettingKey, string>>> = {
  runHistoryLimitMB: 'machine',
};
