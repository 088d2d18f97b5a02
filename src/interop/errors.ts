/**
 * The one error type of the interop room. Every reader here throws only InteropError on bad
 * input (the fuzz tests check it), so callers can show `message` as it is.
 */
export class InteropError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InteropError';
  }
}

export function fail(message: string): never {
  throw new InteropError(message);
}

/**
 * Bounds on what a model file may make the readers do. The defaults admit any model the
 * extension can run (the book's 4-layer, 256-wide model with 10,000-word vocabularies is a
 * 45 MB .pt holding a 0.2 MB pickle) and refuse inputs that would cost more memory or time than
 * the file itself is worth.
 */
export interface InteropLimits {
  /** Size of a .pt or .safetensors file (fs.readFile stops at 2 GiB anyway). */
  maxFileBytes: number;
  /** Entries in a .pt zip archive. */
  maxZipEntries: number;
  /** Size of data.pkl inside a .pt. */
  maxPickleBytes: number;
  /** One string in the pickle (a token, a tensor name). */
  maxStringBytes: number;
  /** Values the unpickler may create (strings, numbers, lists, …), all together. */
  maxValues: number;
  /** Memo entries (BINPUT). */
  maxMemo: number;
  /** Nesting of lists, dicts and tuples inside each other, and of MARKs. */
  maxNesting: number;
  /** Tensors in a state_dict or a .safetensors header. */
  maxTensors: number;
  /** JSON header of a .safetensors file. */
  maxHeaderBytes: number;
  /** JSON sidecar (vocabularies and hyperparameters). */
  maxSidecarBytes: number;
  /** Tokens in one vocabulary. */
  maxVocab: number;
}

export const DEFAULT_LIMITS: Readonly<InteropLimits> = Object.freeze({
  maxFileBytes: 2 ** 31 - 1,
  maxZipEntries: 100_000,
  maxPickleBytes: 64 * 2 ** 20,
  maxStringBytes: 2 ** 20,
  maxValues: 4_000_000,
  maxMemo: 4_000_000,
  maxNesting: 32,
  maxTensors: 100_000,
  maxHeaderBytes: 64 * 2 ** 20,
  maxSidecarBytes: 256 * 2 ** 20,
  maxVocab: 2_000_000,
});

/** Dimensions of one tensor (ours have at most 2). */
export const MAX_RANK = 8;

/** The defaults with `overrides` applied (the tests use small limits). */
export function limitsWith(overrides: Partial<InteropLimits> = {}): InteropLimits {
  return { ...DEFAULT_LIMITS, ...overrides };
}

export { formatBytes } from '../shared/formatBytes';
