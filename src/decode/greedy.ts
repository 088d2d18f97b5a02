import { tf, Tensor } from '../model/tf';
import { PositionMode } from '../model/config';
import { Transformer } from '../model/transformer';
import { Vocab } from '../data/vocab';
import { AttentionMaps } from './attentionMaps';
import { encodeSource, SourceTruncation } from './encodeSource';
import {
  InferenceOptions,
  StepRun,
  decodeOneByOne,
  translationOf,
  withInference,
} from './stepDecode';

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

export interface GreedyOptions extends InferenceOptions {
  numSteps: number;
  positionMode?: PositionMode;
}

export { tokenizeSource } from './encodeSource';

/**
 * The book's predict_seq2seq: encode the padded source, then feed <bos> and each argmax back for
 * up to numSteps steps, stopping at <eos>. Captures every attention weight on the way.
 * positionMode 'correct' (default) gives step t the positional encoding of position t; 'book'
 * reproduces the book's code, which adds position 0's at every step. `headMask` switches heads
 * off on every layer it names (encoder and decoder alike).
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
  return withInference(model, options, (ctx) => {
    const src = encodeSource(model, srcVocab, sentence, numSteps, ctx);
    const outputIds: number[] = [];
    let run: StepRun;
    try {
      const opts = { bos: tgtVocab.bos, numSteps, positionMode };
      run = decodeOneByOne(model, src, ctx, opts, (logits) => {
        const id = argMaxOf(logits);
        outputIds.push(id);
        return id === tgtVocab.eos ? null : id;
      });
    } finally {
      tf.dispose([src.encOutputs, src.encMask]);
    }
    const vocabs = { srcVocab, tgtVocab };
    return translationOf({ ...src, sentence }, vocabs, run.inputIds, outputIds, run.attention);
  });
}

/** The first index of the largest logit (greedy's choice; ties: the lower id). */
export function argMaxOf(logits: Tensor): number {
  const id = tf.tidy(() => logits.reshape([-1]).argMax());
  const value = id.dataSync()[0];
  id.dispose();
  return value;
}
