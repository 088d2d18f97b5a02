import { tf, Tensor } from '../model/tf';
import { tidyKeep } from '../model/tidy';
import { PositionMode } from '../model/config';
import { Transformer } from '../model/transformer';
import { DecoderState } from '../model/decoder';
import { Vocab } from '../data/vocab';
import { AttentionMaps } from './attentionMaps';
import { encodeSource, SourceTruncation, sourceSeen } from './encodeSource';

export interface Translation {
  /** The sentence as given. */
  source: string;
  /** After the book's preprocessing, split into tokens. */
  sourceTokens: string[];
  /** Source tokens the model saw (the first numSteps) that the vocabulary does not know (they
   * became <unk>). */
  unknownTokens: string[];
  /** Set when the sentence had more than numSteps tokens: where it was cut. */
  truncation?: SourceTruncation;
  /** Output tokens without <eos>. */
  tokens: string[];
  translation: string;
  attention: AttentionMaps;
}

export interface GreedyOptions {
  numSteps: number;
  positionMode?: PositionMode;
}

export { tokenizeSource } from './encodeSource';

/**
 * The book's predict_seq2seq: encode the padded source, then feed <bos> and each argmax back for
 * up to numSteps steps, stopping at <eos>. Captures every attention weight on the way.
 * positionMode 'correct' (default) gives step t the positional encoding of position t; 'book'
 * reproduces the book's code, which adds position 0's at every step.
 */
export function greedyTranslate(
  model: Transformer,
  srcVocab: Vocab,
  tgtVocab: Vocab,
  sentence: string,
  options: GreedyOptions,
): Translation {
  const { numSteps } = options;
  const positionMode = options.positionMode ?? 'correct';
  const { sourceTokens, padded, validLen, encOutputs, encMask, encoderSelf } = encodeSource(
    model,
    srcVocab,
    sentence,
    numSteps,
  );
  const ctx = { training: false };

  let state: DecoderState = model.decoder.initState(encOutputs, encMask);
  const outputIds: number[] = [];
  const inputIds: number[] = [];
  const decoderSelf: (number | null)[][][][] = model.decoder.blks.map(() => []);
  const encoderDecoder: (number | null)[][][][] = model.decoder.blks.map(() => []);
  let next = tgtVocab.bos;
  try {
    for (let step = 0; step < numSteps; step++) {
      inputIds.push(next);
      const r = tidyKeep(() => {
        const out = model.decoder.step(
          tf.tensor2d([[next]], [1, 1], 'int32'),
          state,
          ctx,
          positionMode,
        );
        return {
          id: out.logits.reshape([-1]).argMax(),
          cache: out.state.cache as Tensor[],
          self: out.selfWeights.map((w) => w.reshape([w.shape[1]!, -1])),
          cross: out.crossWeights.map((w) => w.reshape([w.shape[1]!, -1])),
          newState: out.state,
        };
      });
      tf.dispose(state.cache.filter((t): t is Tensor => t !== null));
      state = r.newState;
      next = r.id.dataSync()[0];
      const visible = Math.min(validLen, numSteps);
      r.self.forEach((w, layer) => {
        const rows = w.arraySync() as number[][]; // (heads, step+1)
        rows.forEach((row, head) => {
          (decoderSelf[layer][head] ??= []).push(padRow(row, numSteps));
        });
      });
      r.cross.forEach((w, layer) => {
        const rows = w.arraySync() as number[][]; // (heads, numSteps)
        rows.forEach((row, head) => {
          (encoderDecoder[layer][head] ??= []).push(row.map((v, k) => (k < visible ? v : null)));
        });
      });
      tf.dispose([r.id, ...r.self, ...r.cross]);
      outputIds.push(next);
      if (next === tgtVocab.eos) break;
    }
  } finally {
    tf.dispose([encOutputs, encMask, ...state.cache.filter((t): t is Tensor => t !== null)]);
  }
  const steps = outputIds.length;
  // Decoder self-attention grows one key per step: trim the square to the steps taken.
  const decoderSquare = decoderSelf.map((layer) =>
    layer.map((head) => head.map((row) => row.slice(0, steps))),
  );
  const tokens = tgtVocab.decode(outputIds.filter((id) => id !== tgtVocab.eos));
  return {
    source: sentence,
    sourceTokens,
    ...sourceSeen(sourceTokens, srcVocab, numSteps),
    tokens,
    translation: tokens.join(' '),
    attention: {
      sourceTokens: srcVocab.decode(padded),
      sourceValidLen: Math.min(validLen, numSteps),
      targetInputTokens: tgtVocab.decode(inputIds),
      outputTokens: tgtVocab.decode(outputIds),
      encoderSelf,
      decoderSelf: decoderSquare,
      encoderDecoder,
    },
  };
}

/** A decoder self-attention row of step t (t+1 keys) as numSteps entries, future keys null. */
function padRow(row: number[], width: number): (number | null)[] {
  return Array.from({ length: width }, (_, k) => (k < row.length ? row[k] : null));
}
