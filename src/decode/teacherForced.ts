import { tf } from '../model/tf';
import { Transformer } from '../model/transformer';
import { Vocab } from '../data/vocab';
import { truncatePad } from '../data/arrays';
import { AttentionMaps, maskKeys } from './attentionMaps';
import { tokenizeSource } from './greedy';
import { InferenceOptions, withInference } from './stepDecode';

/**
 * Attention for a known pair, teacher-forced (the decoder reads <bos> and the reference): the
 * axes stay the same from epoch to epoch, which is what the training snapshots need.
 * Decoder self-attention is causal: keys after the query are null. `options.headMask` switches
 * heads off as in greedyTranslate.
 */
export function captureTeacherForced(
  model: Transformer,
  srcVocab: Vocab,
  tgtVocab: Vocab,
  source: string,
  target: string,
  numSteps: number,
  options: InferenceOptions = {},
): AttentionMaps {
  const srcIds = [...srcVocab.encode(tokenizeSource(source)), srcVocab.eos];
  const validLen = Math.min(srcIds.length, numSteps);
  const padded = truncatePad(srcIds, numSteps, srcVocab.pad);
  const tgtIds = [...tgtVocab.encode(tokenizeSource(target)), tgtVocab.eos].slice(0, numSteps);
  const decIn = [tgtVocab.bos, ...tgtIds.slice(0, -1)];
  const L = decIn.length;
  const weights = withInference(model, options, (ctx) =>
    tf.tidy(() => {
      const out = model.apply(
        tf.tensor2d([padded], [1, numSteps], 'int32'),
        tf.tensor1d([srcIds.length], 'int32'),
        tf.tensor2d([decIn], [1, L], 'int32'),
        ctx,
      );
      const first = (w: tf.Tensor) => (w.arraySync() as number[][][][])[0];
      return {
        enc: out.encoderWeights.map(first),
        self: out.decoderSelfWeights.map(first),
        cross: out.crossWeights.map(first),
      };
    }),
  );
  return {
    sourceTokens: srcVocab.decode(padded),
    sourceValidLen: validLen,
    targetInputTokens: tgtVocab.decode(decIn),
    outputTokens: tgtVocab.decode(tgtIds),
    encoderSelf: weights.enc.map((l) => maskKeys(l, validLen)),
    decoderSelf: weights.self.map((l) =>
      l.map((head) => head.map((row, q) => row.map((w, k) => (k <= q ? w : null)))),
    ),
    encoderDecoder: weights.cross.map((l) => maskKeys(l, validLen)),
  };
}
