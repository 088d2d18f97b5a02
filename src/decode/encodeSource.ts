import { tf, Tensor } from '../model/tf';
import { tidyKeep } from '../model/tidy';
import { Transformer } from '../model/transformer';
import { Vocab } from '../data/vocab';
import { preprocessNmt } from '../data/preprocess';
import { truncatePad } from '../data/arrays';
import { ForwardContext } from '../model/context';
import type { SourceTruncation } from '../shared/protocol';
import { AttentionGrid, maskKeys } from './attentionMaps';

export type { SourceTruncation };

/** The book's lower-casing and punctuation spacing, then whitespace runs collapsed. */
export function tokenizeSource(sentence: string): string[] {
  const text = preprocessNmt(sentence).trim().replace(/\s+/g, ' ');
  return text === '' ? [] : text.split(' ');
}

/** What the model saw of a sentence: its unknown words among the first numSteps tokens only,
 * and where the rest was cut, if it was. */
export function sourceSeen(
  sourceTokens: readonly string[],
  srcVocab: Vocab,
  numSteps: number,
): { unknownTokens: string[]; truncation?: SourceTruncation } {
  const seen = sourceTokens.slice(0, numSteps);
  const unknownTokens = seen.filter((t) => srcVocab.indexOf(t) === srcVocab.unk);
  if (sourceTokens.length <= numSteps) return { unknownTokens };
  return {
    unknownTokens,
    truncation: {
      keptTokens: numSteps,
      totalTokens: sourceTokens.length,
      lastKept: sourceTokens[numSteps - 1],
      firstCut: sourceTokens[numSteps],
    },
  };
}

/** A sentence run through the encoder, ready for step-by-step decoding. */
export interface EncodedSource {
  sourceTokens: string[];
  /** Source ids padded (or cut) to numSteps: <eos> appended first, as predict_seq2seq does. */
  padded: number[];
  /** Length before truncation (the book's enc_valid_len); may exceed numSteps. */
  validLen: number;
  /** Keys the attention can see: min(validLen, numSteps). */
  visible: number;
  encOutputs: Tensor; // (1, numSteps, hidden): the caller disposes it
  encMask: Tensor; // (1, 1, 1, numSteps): the caller disposes it
  encoderSelf: AttentionGrid; // (layers, heads, numSteps, numSteps), masked keys null
}

/**
 * The first half of the book's predict_seq2seq, shared by greedy and beam decoding: tokenize,
 * append <eos>, pad to numSteps, run the encoder (with `ctx`'s head gates and probe, if any),
 * capture its self-attention.
 */
export function encodeSource(
  model: Transformer,
  srcVocab: Vocab,
  sentence: string,
  numSteps: number,
  ctx: ForwardContext = { training: false },
): EncodedSource {
  const sourceTokens = tokenizeSource(sentence);
  const srcIds = [...srcVocab.encode(sourceTokens), srcVocab.eos];
  const validLen = srcIds.length;
  const visible = Math.min(validLen, numSteps);
  const padded = truncatePad(srcIds, numSteps, srcVocab.pad);
  const encoded = tidyKeep(() => {
    const enc = model.encoder.apply(
      tf.tensor2d([padded], [1, numSteps], 'int32'),
      tf.tensor1d([validLen], 'int32'),
      ctx,
    );
    const grid: AttentionGrid = enc.weights.map((w) =>
      maskKeys((w.arraySync() as number[][][][])[0], visible),
    );
    return { encOutputs: enc.output, encMask: enc.mask, encoderSelf: grid };
  });
  return { sourceTokens, padded, validLen, visible, ...encoded };
}
