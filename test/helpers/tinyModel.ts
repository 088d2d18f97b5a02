/** Tiny models, vocabularies and settings for fast tests of the training core. */
import { DEFAULT_HYPERPARAMETERS, Hyperparameters } from '../../src/config/hyperparameters';
import { RESERVED_TOKENS } from '../../src/data/nmtDataset';
import { Vocab } from '../../src/data/vocab';
import { ModelConfig } from '../../src/model/config';
import { tf } from '../../src/model/tf';
import { Transformer } from '../../src/model/transformer';

/** The architecture the tests use: 8 wide, 2 heads, FFN 16, 2 layers. */
export const TINY_CONFIG: ModelConfig = {
  numHiddens: 8,
  numLayers: 2,
  numHeads: 2,
  ffnNumHiddens: 16,
  dropout: 0.1,
  srcVocabSize: 12,
  tgtVocabSize: 10,
};

/** Hyperparameters of a run that takes about a second on the cpu backend. */
export const TINY_HYPERPARAMETERS: Hyperparameters = {
  ...DEFAULT_HYPERPARAMETERS,
  numHiddens: 8,
  numLayers: 1,
  numHeads: 2,
  ffnNumHiddens: 16,
  numSteps: 8,
  numExamples: 40,
  numEpochs: 4,
  batchSize: 16,
  learningRate: 0.01,
};

/** Source vocabulary of the greedy tests: the reserved tokens, then `go . i lost home i'm he's calm`. */
export const SRC_WORDS = ['go', '.', 'i', 'lost', 'home', "i'm", "he's", 'calm'];
/** Target vocabulary: the reserved tokens, then `va ! j'ai perdu . je suis`. */
export const TGT_WORDS = ['va', '!', "j'ai", 'perdu', '.', 'je'];

/** A vocabulary `<unk> <pad> <bos> <eos>` followed by `words`. */
export function vocabOf(words: readonly string[]): Vocab {
  return Vocab.fromTable(['<unk>', ...RESERVED_TOKENS, ...words]);
}

/** Every parameter's values by name (a copy). */
export function paramValues(model: Transformer): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const [name, v] of model.params.entries()) {
    out.set(name, Float32Array.from(v.dataSync() as Float32Array));
  }
  return out;
}

/** The largest |a[i] - b[i]|. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

/**
 * Makes the pure-JavaScript cpu backend current (other test files may have left wasm on), so
 * that results are deterministic and comparable within a file.
 */
export async function useCpuBackend(): Promise<void> {
  if (tf.getBackend() !== 'cpu') {
    const ok = await tf.setBackend('cpu');
    if (!ok) throw new Error('could not start the cpu backend');
  }
  await tf.ready();
}
