/**
 * The book's `load_data_nmt` (d2l.ai v0.17 §9.5) without the iterator: preprocessing,
 * tokenisation, the two vocabularies and the padded index arrays. Batching is `epochBatches`.
 */
import { buildArrayNmt, TokenArray } from './arrays';
import { preprocessLineRange } from './lines';
import { preprocessNmt } from './preprocess';
import { tokenizeNmt } from './tokenize';
import { Vocab } from './vocab';

/** Reserved tokens of both vocabularies, in the book's order (indices 1, 2, 3). */
export const RESERVED_TOKENS: readonly string[] = ['<pad>', '<bos>', '<eos>'];

export interface NmtDataOptions {
  /** Book quirk: lines `0 … numExamples` are read (600 → up to 601 pairs); 0/undefined: all. */
  numExamples?: number;
  /** Length every sequence is truncated or padded to. */
  numSteps: number;
  /** Tokens seen fewer times become `<unk>` (book: 2). */
  minFreq?: number;
}

export interface NmtData {
  srcVocab: Vocab;
  tgtVocab: Vocab;
  src: TokenArray;
  tgt: TokenArray;
  /** Tokenised English sentences. */
  source: string[][];
  /** Tokenised French sentences. */
  target: string[][];
}

/**
 * `load_data_nmt` on the raw text of `fra.txt`. Only the lines that are read get preprocessed,
 * which gives the same result as preprocessing the whole file first.
 */
export function loadDataNmt(rawText: string, options: NmtDataOptions): NmtData {
  const { numExamples, numSteps, minFreq = 2 } = options;
  if (numExamples !== undefined && (!Number.isInteger(numExamples) || numExamples < 0)) {
    throw new RangeError(`numExamples must be a non-negative integer, got ${numExamples}`);
  }
  const text = numExamples
    ? preprocessLineRange(rawText, 0, numExamples + 1)
    : preprocessNmt(rawText);
  const { source, target } = tokenizeNmt(text, numExamples);
  const srcVocab = new Vocab(source, minFreq, [...RESERVED_TOKENS]);
  const tgtVocab = new Vocab(target, minFreq, [...RESERVED_TOKENS]);
  return {
    srcVocab,
    tgtVocab,
    src: buildArrayNmt(source, srcVocab, numSteps),
    tgt: buildArrayNmt(target, tgtVocab, numSteps),
    source,
    target,
  };
}
