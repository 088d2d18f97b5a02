/**
 * Line slicing over the raw corpus, so that a small `numExamples` (the book uses 600) or an
 * evaluation window does not need the whole 9 MB file lower-cased and re-spaced first.
 *
 * Lines are separated by `\n` and numbered from 0, exactly like `text.split('\n')` in the book.
 * Because `preprocessNmt` only ever looks at one character and the character before it, the
 * preprocessed slice equals the same lines taken from `preprocessNmt(wholeText)`.
 */
import { preprocessNmt } from './preprocess';

/** Index in `text` where line `line` (0-based) starts, or -1 if the text has fewer lines. */
export function lineStart(text: string, line: number): number {
  let pos = 0;
  for (let i = 0; i < line; i++) {
    const nl = text.indexOf('\n', pos);
    if (nl < 0) return -1;
    pos = nl + 1;
  }
  return pos;
}

/**
 * The lines `from … from+count-1` (0-based) of `text`, joined by `\n` without a trailing
 * newline; fewer lines if the text ends first, `''` if it has no line `from`.
 */
export function sliceLines(text: string, from: number, count: number): string {
  checkRange(from, count);
  const start = lineStart(text, from);
  if (start < 0 || count === 0) return '';
  let end = start;
  for (let i = 0; i < count; i++) {
    const nl = text.indexOf('\n', end);
    if (nl < 0) return text.slice(start);
    end = nl + 1;
  }
  return text.slice(start, end - 1);
}

/**
 * `preprocessNmt` applied to the lines `from … from+count-1` (0-based) only. Equals
 * `sliceLines(preprocessNmt(text), from, count)` but costs time proportional to the slice.
 */
export function preprocessLineRange(text: string, from: number, count: number): string {
  checkRange(from, count);
  if (from === 0) return preprocessNmt(sliceLines(text, 0, count));
  const start = lineStart(text, from);
  if (start < 0 || count === 0) return '';
  // Keep the preceding '\n' so that a line starting with punctuation is spaced as in the
  // whole text (there its previous character is '\n', not the start of the string).
  const withNewline = '\n' + sliceLines(text.slice(start), 0, count);
  return preprocessNmt(withNewline).slice(1);
}

function checkRange(from: number, count: number): void {
  if (!Number.isInteger(from) || from < 0) {
    throw new RangeError(`line index must be a non-negative integer, got ${from}`);
  }
  if (!Number.isInteger(count) || count < 0) {
    throw new RangeError(`line count must be a non-negative integer, got ${count}`);
  }
}
