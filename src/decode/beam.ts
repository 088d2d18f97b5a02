/**
 * Beam-search translation with the Transformer: the search itself is ./beamSearch.ts (re-exported
 * here); this file runs it on the model, batching the live beams through decoder.step.
 */
import { tf, Tensor } from '../model/tf';
import { tidyKeep } from '../model/tidy';
import { PositionMode } from '../model/config';
import { Transformer } from '../model/transformer';
import { DecoderState } from '../model/decoder';
import { ForwardContext } from '../model/context';
import { Vocab } from '../data/vocab';
import { AttentionMaps } from './attentionMaps';
import { encodeSource } from './encodeSource';
import { Translation } from './greedy';
import {
  InferenceOptions,
  SourceMemory,
  decodeOneByOne,
  translationOf,
  withInference,
} from './stepDecode';
import {
  BatchStepLogProbs,
  BeamCandidate,
  beamSearchBatched,
  checkOptions,
  logSoftmax,
} from './beamSearch';

export * from './beamSearch';

export interface BeamOptions extends InferenceOptions {
  numSteps: number;
  beamSize: number;
  /** Default 0.75 (the book's). */
  alpha?: number;
  /** How many candidates to return, best first; default beamSize. */
  topK?: number;
  positionMode?: PositionMode;
}

export interface BeamTranslationCandidate {
  /** Output tokens without `<eos>`. */
  tokens: string[];
  /** Σ log P over the emitted tokens, `<eos>` included. */
  logProb: number;
  /** logProb / length^alpha. */
  score: number;
  /** Emitted tokens, `<eos>` included when it ended with one. */
  length: number;
  endedWithEos: boolean;
}

/** greedyTranslate's result for the chosen (best-scoring) candidate, plus the ranking. */
export interface BeamTranslation extends Translation {
  beamSize: number;
  alpha: number;
  /** The chosen candidate's log-probability and normalised score. */
  logProb: number;
  score: number;
  /** Up to topK ended candidates, best score first; candidates[0] is the translation. */
  candidates: BeamTranslationCandidate[];
}

/**
 * Beam search translation. Encodes the source as greedyTranslate does, runs the search with the
 * live beams batched through decoder.step (caches gathered per beam), then re-runs the chosen
 * output step by step (its own tokens fed back, batch 1) to capture its attention maps exactly as
 * greedyTranslate does. beamSize 1 gives greedyTranslate's result.
 */
export function beamTranslate(
  model: Transformer,
  srcVocab: Vocab,
  tgtVocab: Vocab,
  sentence: string,
  options: BeamOptions,
): BeamTranslation {
  const { numSteps, beamSize } = options;
  const alpha = checkOptions({ bos: 0, eos: 0, numSteps, beamSize, alpha: options.alpha });
  const topK = options.topK ?? beamSize;
  if (!Number.isInteger(topK) || topK < 1) {
    throw new RangeError(`beam search: topK must be a positive integer, got ${topK}`);
  }
  const positionMode = options.positionMode ?? 'correct';
  const search = { bos: tgtVocab.bos, eos: tgtVocab.eos, numSteps, beamSize, alpha };
  return withInference(model, options, (ctx) => {
    const src = encodeSource(model, srcVocab, sentence, numSteps, ctx);
    let ranked: BeamCandidate[];
    let attention: Pick<AttentionMaps, 'decoderSelf' | 'encoderDecoder'>;
    const scorer = beamScorer(model, src, ctx, positionMode);
    try {
      ranked = beamSearchBatched(scorer.score, search);
      if (ranked.length === 0) {
        throw new Error(
          'beam search: the model gave no finite log-probability (diverged weights?)',
        );
      }
      attention = forcedAttention(model, src, ranked[0].ids, ctx, { ...search, positionMode });
    } finally {
      scorer.dispose();
      tf.dispose([src.encOutputs, src.encMask]);
    }
    const best = ranked[0];
    const withoutEos = (ids: number[]): string[] =>
      tgtVocab.decode(ids.filter((id) => id !== tgtVocab.eos));
    const inputIds = [tgtVocab.bos, ...best.ids.slice(0, -1)];
    const vocabs = { srcVocab, tgtVocab };
    return {
      ...translationOf({ ...src, sentence }, vocabs, inputIds, best.ids, attention),
      beamSize,
      alpha,
      logProb: best.logProb,
      score: best.score,
      candidates: ranked.slice(0, topK).map((c) => ({
        tokens: withoutEos(c.ids),
        logProb: c.logProb,
        score: c.score,
        length: c.length,
        endedWithEos: c.endedWithEos,
      })),
    };
  });
}

/**
 * The search's scoring callback on the model: the live beams as one batch through decoder.step,
 * each beam's cache gathered from the row of the prefix it extends. `dispose` frees the last
 * step's cache.
 */
function beamScorer(
  model: Transformer,
  src: SourceMemory,
  ctx: ForwardContext,
  positionMode: PositionMode,
): { score: BatchStepLogProbs; dispose: () => void } {
  let cache: (Tensor | null)[] = model.decoder.blks.map(() => null);
  let stepIndex = 0;
  const dispose = () => tf.dispose(cache.filter((t): t is Tensor => t !== null));
  const score: BatchStepLogProbs = (prefixes, parents) => {
    const batch = prefixes.length;
    const r = tidyKeep(() => {
      const rows = tf.tensor1d(parents as number[], 'int32');
      const first = tf.zeros([batch], 'int32');
      const state: DecoderState = {
        encOutputs: batch === 1 ? src.encOutputs : tf.gather(src.encOutputs, first),
        encMask: batch === 1 ? src.encMask : tf.gather(src.encMask, first),
        cache: cache.map((c) => (c ? tf.gather(c, rows) : null)),
        step: stepIndex,
      };
      const last = prefixes.map((p) => [p[p.length - 1]]);
      const out = model.decoder.step(
        tf.tensor2d(last, [batch, 1], 'int32'),
        state,
        ctx,
        positionMode,
      );
      return { logits: out.logits.reshape([batch, -1]), cache: out.state.cache as Tensor[] };
    });
    dispose();
    cache = r.cache;
    stepIndex++;
    const logits = r.logits.arraySync() as number[][];
    r.logits.dispose();
    return logits.map(logSoftmax);
  };
  return { score, dispose };
}

/**
 * Decoder attention of a known output: feeds `<bos>` then `ids` (all but the last) one step at a
 * time at batch 1, as greedyTranslate does, and collects the weights in its grid layout. Leaves
 * the memory's tensors to the caller.
 */
function forcedAttention(
  model: Transformer,
  memory: SourceMemory,
  ids: number[],
  ctx: ForwardContext,
  opts: { bos: number; numSteps: number; positionMode: PositionMode },
): Pick<AttentionMaps, 'decoderSelf' | 'encoderDecoder'> {
  const next = (_: unknown, step: number) => (step + 1 < ids.length ? ids[step] : null);
  return decodeOneByOne(model, memory, ctx, opts, next).attention;
}
