/**
 * Beam search (d2l.ai v0.17 §9.8) for the Transformer, with the attention maps of the chosen
 * output in greedyTranslate's format.
 *
 * The search keeps the `beamSize` best partial outputs by accumulated log-probability. At each
 * step every live output is extended by every token, and the `beamSize` best extensions overall
 * are kept; an extension that emits `<eos>`, or that reaches `numSteps` tokens, ends and leaves
 * the beam (so the beam narrows as outputs end, and beam 1 is exactly greedy decoding). Among all
 * ended outputs the one maximising the book's length-normalised score
 *
 *     score = (1 / L^alpha) · log P(y1, ..., yL | c) = (1 / L^alpha) · Σ_t log P(yt | y<t, c)
 *
 * is chosen (alpha = 0.75 by default, as in the book).
 *
 * Decision on L: L is the number of tokens the decoder emitted for the output, `<eos>` included
 * when it ended with one: exactly the terms of the sum (the probability of stopping is part of
 * P(y | c)), and the number of decoding steps (attention.outputTokens.length). An output cut off
 * at numSteps has L = numSteps. So `go . <eos>` has L = 3, and an immediate `<eos>` has L = 1
 * (never 0).
 *
 * Decision on the candidate set: the book's figure scores every kept prefix at every step; like
 * its text ("a candidate ends when it emits <eos>") and common practice, only ended outputs are
 * candidates here.
 */
import { tf, Tensor } from '../model/tf';
import { tidyKeep } from '../model/tidy';
import { PositionMode } from '../model/config';
import { Transformer } from '../model/transformer';
import { DecoderState } from '../model/decoder';
import { Vocab } from '../data/vocab';
import { AttentionGrid, AttentionMaps } from './attentionMaps';
import { encodeSource, sourceSeen } from './encodeSource';
import { Translation } from './greedy';

/** The book's alpha. */
export const DEFAULT_ALPHA = 0.75;

export interface BeamSearchOptions {
  /** Fed first; every prefix given to the scoring callback starts with it. */
  bos: number;
  /** Ends an output. */
  eos: number;
  /** Most tokens an output may have (`<eos>` included). */
  numSteps: number;
  beamSize: number;
  /** Length-penalty exponent; 0 ranks by plain log-probability. Default 0.75. */
  alpha?: number;
}

/** One ended output of the search. */
export interface BeamCandidate {
  /** Emitted token ids (no `<bos>`), ending with `<eos>` when `endedWithEos`. */
  ids: number[];
  /** Σ log P(yt | y<t, c) over `ids`. */
  logProb: number;
  /** L: ids.length, `<eos>` included. */
  length: number;
  /** logProb / length^alpha; the ranking key. */
  score: number;
  /** False when the output was cut off at numSteps. */
  endedWithEos: boolean;
}

/**
 * Scores a step for a batch of live outputs: `prefixes[i]` is `<bos>` then the tokens output so
 * far (the decoder's inputs; feed its last token); `parents[i]` is the index, in the previous
 * call's `prefixes`, of the prefix it extends (all 0 on the first call). Returns per prefix the
 * log-probability of every next token (-Infinity or NaN: impossible, never chosen).
 */
export type BatchStepLogProbs = (
  prefixes: readonly (readonly number[])[],
  parents: readonly number[],
) => ArrayLike<number>[];

function checkOptions(options: BeamSearchOptions): number {
  const { numSteps, beamSize } = options;
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  if (!Number.isInteger(numSteps) || numSteps < 1) {
    throw new RangeError(`beam search: numSteps must be a positive integer, got ${numSteps}`);
  }
  if (!Number.isInteger(beamSize) || beamSize < 1) {
    throw new RangeError(`beam search: beamSize must be a positive integer, got ${beamSize}`);
  }
  if (!Number.isFinite(alpha) || alpha < 0) {
    throw new RangeError(`beam search: alpha must be a finite number >= 0, got ${alpha}`);
  }
  return alpha;
}

/** The length-normalised score of the book: logProb / length^alpha. */
export function normalisedScore(logProb: number, length: number, alpha: number): number {
  return logProb / Math.pow(length, alpha);
}

/**
 * Beam search over a batched scoring callback. Returns every ended output, best score first
 * (ties: the one that ended earlier, then the more probable extension, then the lower token id).
 */
export function beamSearchBatched(
  step: BatchStepLogProbs,
  options: BeamSearchOptions,
): BeamCandidate[] {
  const alpha = checkOptions(options);
  const { bos, eos, numSteps, beamSize } = options;
  let live: { ids: number[]; logProb: number }[] = [{ ids: [], logProb: 0 }];
  let parents: number[] = [0];
  const ended: BeamCandidate[] = [];
  for (let t = 0; t < numSteps && live.length > 0; t++) {
    const rows = step(
      live.map((b) => [bos, ...b.ids]),
      parents,
    );
    if (rows.length !== live.length) {
      throw new Error(`beam search: ${live.length} prefixes scored as ${rows.length} rows`);
    }
    const extensions: { parent: number; token: number; logProb: number }[] = [];
    live.forEach((b, parent) => {
      const row = rows[parent];
      for (let token = 0; token < row.length; token++) {
        const lp = row[token];
        if (lp > -Infinity) extensions.push({ parent, token, logProb: b.logProb + lp });
      }
    });
    // Stable: ties keep the parent's rank, then the lower token id (greedy's argMax picks the
    // first maximum).
    extensions.sort((a, b) => b.logProb - a.logProb);
    const nextLive: typeof live = [];
    const nextParents: number[] = [];
    for (const e of extensions.slice(0, beamSize)) {
      const ids = [...live[e.parent].ids, e.token];
      if (e.token === eos || t === numSteps - 1) {
        ended.push({
          ids,
          logProb: e.logProb,
          length: ids.length,
          score: normalisedScore(e.logProb, ids.length, alpha),
          endedWithEos: e.token === eos,
        });
      } else {
        nextLive.push({ ids, logProb: e.logProb });
        nextParents.push(e.parent);
      }
    }
    live = nextLive;
    parents = nextParents;
  }
  return ended.sort((a, b) => b.score - a.score);
}

/**
 * Beam search over a per-prefix scoring callback: `stepLogProbs(prefix)` gives the log-probability
 * of every next token after `prefix` (`<bos>` then the tokens output so far).
 */
export function beamSearch(
  stepLogProbs: (prefix: number[]) => ArrayLike<number>,
  options: BeamSearchOptions,
): BeamCandidate[] {
  return beamSearchBatched((prefixes) => prefixes.map((p) => stepLogProbs([...p])), options);
}

/** log softmax of one row of logits, in double precision. */
export function logSoftmax(logits: ArrayLike<number>): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += Math.exp(logits[i] - max);
  const lse = max + Math.log(sum);
  return Float64Array.from(logits, (x) => x - lse);
}

export interface BeamOptions {
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
  const { sourceTokens, padded, visible, encOutputs, encMask, encoderSelf } = encodeSource(
    model,
    srcVocab,
    sentence,
    numSteps,
  );
  const ctx = { training: false };

  let cache: (Tensor | null)[] = model.decoder.blks.map(() => null);
  let stepIndex = 0;
  let ranked: BeamCandidate[];
  let attention: Pick<AttentionMaps, 'decoderSelf' | 'encoderDecoder'>;
  try {
    const scoreBatch: BatchStepLogProbs = (prefixes, parents) => {
      const batch = prefixes.length;
      const r = tidyKeep(() => {
        const rows = tf.tensor1d(parents as number[], 'int32');
        const first = tf.zeros([batch], 'int32');
        const state: DecoderState = {
          encOutputs: batch === 1 ? encOutputs : tf.gather(encOutputs, first),
          encMask: batch === 1 ? encMask : tf.gather(encMask, first),
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
      tf.dispose(cache.filter((t): t is Tensor => t !== null));
      cache = r.cache;
      stepIndex++;
      const logits = r.logits.arraySync() as number[][];
      r.logits.dispose();
      return logits.map(logSoftmax);
    };
    ranked = beamSearchBatched(scoreBatch, {
      bos: tgtVocab.bos,
      eos: tgtVocab.eos,
      numSteps,
      beamSize,
      alpha,
    });
    if (ranked.length === 0) {
      throw new Error('beam search: the model gave no finite log-probability (diverged weights?)');
    }
    attention = forcedAttention(model, encOutputs, encMask, ranked[0].ids, {
      bos: tgtVocab.bos,
      numSteps,
      visible,
      positionMode,
    });
  } finally {
    tf.dispose([encOutputs, encMask, ...cache.filter((t): t is Tensor => t !== null)]);
  }

  const best = ranked[0];
  const withoutEos = (ids: number[]): string[] =>
    tgtVocab.decode(ids.filter((id) => id !== tgtVocab.eos));
  const tokens = withoutEos(best.ids);
  return {
    source: sentence,
    sourceTokens,
    ...sourceSeen(sourceTokens, srcVocab, numSteps),
    tokens,
    translation: tokens.join(' '),
    attention: {
      sourceTokens: srcVocab.decode(padded),
      sourceValidLen: visible,
      targetInputTokens: tgtVocab.decode([tgtVocab.bos, ...best.ids.slice(0, -1)]),
      outputTokens: tgtVocab.decode(best.ids),
      encoderSelf,
      decoderSelf: attention.decoderSelf,
      encoderDecoder: attention.encoderDecoder,
    },
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
}

/**
 * Decoder attention of a known output: feeds `<bos>` then `ids` (all but the last) one step at a
 * time through decoder.step at batch 1, as greedyTranslate does, and collects the weights in its
 * grid layout. Leaves encOutputs and encMask to the caller.
 */
function forcedAttention(
  model: Transformer,
  encOutputs: Tensor,
  encMask: Tensor,
  ids: number[],
  opts: { bos: number; numSteps: number; visible: number; positionMode: PositionMode },
): Pick<AttentionMaps, 'decoderSelf' | 'encoderDecoder'> {
  const { numSteps, visible, positionMode } = opts;
  const ctx = { training: false };
  let state: DecoderState = model.decoder.initState(encOutputs, encMask);
  const decoderSelf: AttentionGrid = model.decoder.blks.map(() => []);
  const encoderDecoder: AttentionGrid = model.decoder.blks.map(() => []);
  const inputs = [opts.bos, ...ids.slice(0, -1)];
  try {
    for (const input of inputs) {
      const r = tidyKeep(() => {
        const out = model.decoder.step(
          tf.tensor2d([[input]], [1, 1], 'int32'),
          state,
          ctx,
          positionMode,
        );
        return {
          self: out.selfWeights.map((w) => w.reshape([w.shape[1]!, -1])),
          cross: out.crossWeights.map((w) => w.reshape([w.shape[1]!, -1])),
          newState: out.state,
        };
      });
      tf.dispose(state.cache.filter((t): t is Tensor => t !== null));
      state = r.newState;
      r.self.forEach((w, layer) => {
        const rows = w.arraySync() as number[][]; // (heads, step+1)
        rows.forEach((row, head) => {
          (decoderSelf[layer][head] ??= []).push(
            Array.from({ length: numSteps }, (_, k) => (k < row.length ? row[k] : null)),
          );
        });
      });
      r.cross.forEach((w, layer) => {
        const rows = w.arraySync() as number[][]; // (heads, numSteps)
        rows.forEach((row, head) => {
          (encoderDecoder[layer][head] ??= []).push(row.map((v, k) => (k < visible ? v : null)));
        });
      });
      tf.dispose([...r.self, ...r.cross]);
    }
  } finally {
    tf.dispose(state.cache.filter((t): t is Tensor => t !== null));
  }
  const steps = inputs.length;
  // Decoder self-attention grows one key per step: trim the square to the steps taken.
  return {
    decoderSelf: decoderSelf.map((layer) =>
      layer.map((head) => head.map((row) => row.slice(0, steps))),
    ),
    encoderDecoder,
  };
}
