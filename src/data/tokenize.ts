/**
 * Word-level tokenisation of d2l.ai v0.17 §9.5 `tokenize_nmt`.
 *
 * The input is preprocessed text (see `preprocessNmt`): one `english\tfrench` pair per line.
 * Tokens are `split(' ')` exactly as in Python, so two adjacent spaces give an empty token.
 * A line is used only when it splits into exactly two fields on `\t`; other lines (for example
 * the empty string after the final newline) are skipped but still counted.
 */

/** Token lists of the source (English) and target (French) side, pair by pair. */
export interface ParallelText {
  source: string[][];
  target: string[][];
}

/**
 * The book's `tokenize_nmt(text, num_examples)`, quirk included: it stops only when the line
 * index `i` (0-based) exceeds `numExamples`, so lines `0 … numExamples` are read and 600 gives up
 * to 601 pairs. `numExamples` of `undefined` or `0` (falsy in Python) reads every line.
 */
export function tokenizeNmt(text: string, numExamples?: number): ParallelText {
  const out: ParallelText = { source: [], target: [] };
  let i = 0;
  for (const line of iterateLines(text)) {
    if (numExamples && i > numExamples) break;
    addPair(out, line);
    i++;
  }
  return out;
}

/**
 * Pairs from the lines with 0-based indices `from … from+count-1`, i.e. the 1-based lines
 * `from+1 … from+count`; `count` counts lines, so a malformed line in the window yields one
 * pair fewer. Use it for pairs the model was not trained on: after `tokenizeNmt(text, n)` the
 * first unused line is `firstUnusedLine(n)` (`n + 1`, because of the book's quirk).
 */
export function tokenizeRange(text: string, from: number, count: number): ParallelText {
  if (!Number.isInteger(from) || from < 0 || !Number.isInteger(count) || count < 0) {
    throw new RangeError(`invalid line range from=${from} count=${count}`);
  }
  const out: ParallelText = { source: [], target: [] };
  let i = 0;
  for (const line of iterateLines(text)) {
    if (i >= from + count) break;
    if (i >= from) addPair(out, line);
    i++;
  }
  return out;
}

/** The 0-based index of the first line that `tokenizeNmt(text, numExamples)` did not read. */
export function firstUnusedLine(numExamples: number): number {
  return numExamples + 1;
}

/** Yields `text.split('\n')` lazily, so an early stop does not split the whole corpus. */
export function* iterateLines(text: string): Generator<string> {
  let pos = 0;
  for (;;) {
    const nl = text.indexOf('\n', pos);
    if (nl < 0) {
      yield text.slice(pos);
      return;
    }
    yield text.slice(pos, nl);
    pos = nl + 1;
  }
}

function addPair(out: ParallelText, line: string): void {
  const parts = line.split('\t');
  if (parts.length === 2) {
    out.source.push(parts[0].split(' '));
    out.target.push(parts[1].split(' '));
  }
}
