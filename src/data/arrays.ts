/**
 * Fixed-length index arrays of d2l.ai v0.17 §9.5 `truncate_pad` and `build_array_nmt`.
 */
import { Vocab } from './vocab';

/** `rows × numSteps` token indices (row-major) with the valid length of every row. */
export interface TokenArray {
  /** Row `r` is `ids.subarray(r * numSteps, (r + 1) * numSteps)`. */
  ids: Int32Array;
  /** Number of non-`<pad>` indices per row. */
  validLen: Int32Array;
  rows: number;
  numSteps: number;
}

/** The book's `truncate_pad`: cut to `numSteps` or right-pad with `padId`. */
export function truncatePad(ids: readonly number[], numSteps: number, padId: number): number[] {
  if (ids.length > numSteps) return ids.slice(0, numSteps);
  return [...ids, ...new Array<number>(numSteps - ids.length).fill(padId)];
}

/**
 * The book's `build_array_nmt`: every line is encoded, `<eos>` is appended, then it is
 * truncated or padded to `numSteps` (so a line of `numSteps` tokens or more loses its `<eos>`).
 * As in the book, the valid length counts the entries that are not `<pad>`, wherever they are.
 */
export function buildArrayNmt(
  lines: readonly (readonly string[])[],
  vocab: Vocab,
  numSteps: number,
): TokenArray {
  if (!Number.isInteger(numSteps) || numSteps < 1) {
    throw new RangeError(`numSteps must be a positive integer, got ${numSteps}`);
  }
  const pad = vocab.pad;
  const eos = vocab.eos;
  const rows = lines.length;
  const ids = new Int32Array(rows * numSteps);
  const validLen = new Int32Array(rows);
  lines.forEach((line, r) => {
    const row = truncatePad([...vocab.encode(line), eos], numSteps, pad);
    ids.set(row, r * numSteps);
    validLen[r] = row.reduce((n, id) => n + (id !== pad ? 1 : 0), 0);
  });
  return { ids, validLen, rows, numSteps };
}

/** Row `r` of `array` as a plain list (for tests and display). */
export function rowOf(array: TokenArray, r: number): number[] {
  return Array.from(array.ids.subarray(r * array.numSteps, (r + 1) * array.numSteps));
}
