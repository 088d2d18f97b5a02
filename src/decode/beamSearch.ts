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

/** Checks numSteps, beamSize and alpha; returns alpha (default DEFAULT_ALPHA). */
export function checkOptions(options: BeamSearchOptions): number {
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
