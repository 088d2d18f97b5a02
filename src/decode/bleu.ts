/**
 * BLEU scores: the book's sentence-level `bleu` (d2l.ai v0.17 §9.7.4) and a standard corpus
 * BLEU (Papineni et al. 2002) for evaluation over many sentences.
 */

/**
 * The book's `bleu(pred_seq, label_seq, k)`, reproduced exactly:
 * tokens are `split(' ')`; the score starts at the brevity factor
 * `exp(min(0, 1 - lenLabel / lenPred))` and is multiplied, for `n = 1 … k`, by
 * `(matches_n / (lenPred - n + 1)) ** (0.5 ** n)`, where `matches_n` counts the prediction's
 * n-grams found in the label, each label n-gram used at most as often as it occurs.
 *
 * Two quirks are kept: n-grams are compared by their tokens joined without a separator (as the
 * book's `''.join(...)`, so `['a', 'bc']` equals `['ab', 'c']`), and `split(' ')` of an empty
 * string is `['']`, one (empty) token. Where the book divides by zero — a prediction of fewer
 * than `k` tokens reaches `lenPred - n + 1 = 0` — it raises `ZeroDivisionError`; this function
 * returns 0 instead (no n-gram of that length exists, so its precision is taken as 0).
 */
export function bleu(pred: string, label: string, k: number): number {
  const predTokens = pred.split(' ');
  const labelTokens = label.split(' ');
  const lenPred = predTokens.length;
  const lenLabel = labelTokens.length;
  if (lenPred < k) return 0;
  let score = Math.exp(Math.min(0, 1 - lenLabel / lenPred));
  for (let n = 1; n <= k; n++) {
    let numMatches = 0;
    const labelSubs = new Map<string, number>();
    for (let i = 0; i < lenLabel - n + 1; i++) {
      const key = labelTokens.slice(i, i + n).join('');
      labelSubs.set(key, (labelSubs.get(key) ?? 0) + 1);
    }
    for (let i = 0; i < lenPred - n + 1; i++) {
      const key = predTokens.slice(i, i + n).join('');
      const left = labelSubs.get(key) ?? 0;
      if (left > 0) {
        numMatches += 1;
        labelSubs.set(key, left - 1);
      }
    }
    score *= Math.pow(numMatches / (lenPred - n + 1), Math.pow(0.5, n));
  }
  return score;
}

/**
 * Corpus BLEU with one reference per sentence: for each `n = 1 … maxN` the clipped n-gram
 * matches and the n-gram counts of the predictions are summed over the corpus, the precisions
 * are combined by a geometric mean with uniform weights `1 / maxN`, and the result is multiplied
 * by the brevity penalty `exp(1 - r / c)` when the total prediction length `c` is below the total
 * reference length `r` (1 otherwise). No smoothing: if any precision is 0 (or no prediction has
 * an n-gram of some length), or the corpus is empty, the score is 0. Tokens are compared exactly.
 */
export function corpusBleu(
  preds: readonly (readonly string[])[],
  refs: readonly (readonly string[])[],
  maxN = 4,
): number {
  if (preds.length !== refs.length) {
    throw new Error(`corpusBleu: ${preds.length} predictions but ${refs.length} references`);
  }
  if (!Number.isInteger(maxN) || maxN < 1) {
    throw new RangeError(`corpusBleu: maxN must be a positive integer, got ${maxN}`);
  }
  const matches = new Array<number>(maxN).fill(0);
  const totals = new Array<number>(maxN).fill(0);
  let c = 0;
  let r = 0;
  preds.forEach((pred, s) => {
    const ref = refs[s];
    c += pred.length;
    r += ref.length;
    for (let n = 1; n <= maxN; n++) {
      const refCounts = ngramCounts(ref, n);
      for (const [gram, count] of ngramCounts(pred, n)) {
        matches[n - 1] += Math.min(count, refCounts.get(gram) ?? 0);
        totals[n - 1] += count;
      }
    }
  });
  if (c === 0) return 0;
  let logSum = 0;
  for (let n = 0; n < maxN; n++) {
    if (matches[n] === 0) return 0;
    logSum += Math.log(matches[n] / totals[n]);
  }
  const brevity = c < r ? Math.exp(1 - r / c) : 1;
  return brevity * Math.exp(logSum / maxN);
}

/** Counts of the n-grams of `tokens`, keyed unambiguously (JSON of the token list). */
function ngramCounts(tokens: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const key = JSON.stringify(tokens.slice(i, i + n));
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}
