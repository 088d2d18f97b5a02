/**
 * What training keeps of the book's load_data_nmt (the two vocabularies and the padded index
 * arrays), built without ever holding the tokenised corpus: the same result as `loadDataNmt`
 * (tested against it), in bounded memory.
 *
 * Why: `loadDataNmt` preprocesses the whole text at once (three 22 MB strings on the whole
 * corpus) and keeps every pair's token list until the arrays are built (~80 MB of strings and
 * arrays). Training drops all of that at once, but V8 frees it only at its next full collection,
 * which came after the two-thread trainer's helper had started: the whole-corpus run peaked at
 * 600 MB during its set-up against ~440 MB while it trained. Here each line is preprocessed on its
 * own, its tokens are counted and stored as provisional ids (the order they first occur in), and
 * once the vocabularies are known the ids are mapped in place: what a line leaves behind dies
 * young.
 */
import { iterateLines } from '../data/tokenize';
import { preprocessNmt } from '../data/preprocess';
import { RESERVED_TOKENS, type NmtDataOptions } from '../data/nmtDataset';
import type { TokenArray } from '../data/arrays';
import { Vocab } from '../data/vocab';
import type { TrainingData } from './experiment';

/** One side (source or target) while the lines are read: token counts and provisional ids. */
class SideCounts {
  /** Provisional id of every token: the order in which it first occurs. */
  readonly idOf = new Map<string, number>();
  readonly counts: number[] = [];
  /** Row-major (rows, numSteps): the first numSteps provisional ids of each line. */
  ids: Int32Array;
  /** Tokens per line (before `<eos>`, truncation and padding). */
  lengths: Int32Array;

  constructor(
    capacity: number,
    readonly numSteps: number,
  ) {
    this.ids = new Int32Array(capacity * numSteps);
    this.lengths = new Int32Array(capacity);
  }

  add(row: number, tokens: string[]): void {
    for (let k = 0; k < tokens.length; k++) {
      let id = this.idOf.get(tokens[k]);
      if (id === undefined) {
        id = this.counts.length;
        this.idOf.set(tokens[k], id);
        this.counts.push(0);
      }
      this.counts[id]++;
      if (k < this.numSteps) this.ids[row * this.numSteps + k] = id;
    }
    this.lengths[row] = tokens.length;
  }

  /** The vocabulary (Vocab's rule: by count, ties in order of first occurrence) and the array. */
  finish(rows: number, minFreq: number): { vocab: Vocab; array: TokenArray } {
    const counts = new Map<string, number>();
    for (const [token, id] of this.idOf) counts.set(token, this.counts[id]);
    const vocab = Vocab.fromCounts(counts, minFreq, [...RESERVED_TOKENS]);
    const final = new Int32Array(this.counts.length);
    for (const [token, id] of this.idOf) final[id] = vocab.indexOf(token);
    this.idOf.clear();
    return { vocab, array: this.toArray(rows, final, vocab) };
  }

  /** buildArrayNmt on the stored ids: tokens, `<eos>`, truncated or padded to numSteps. */
  private toArray(rows: number, final: Int32Array, vocab: Vocab): TokenArray {
    const T = this.numSteps;
    const ids = this.ids.length === rows * T ? this.ids : this.ids.slice(0, rows * T);
    const validLen = new Int32Array(rows);
    for (let r = 0; r < rows; r++) {
      const n = this.lengths[r];
      let valid = 0;
      for (let t = 0; t < T; t++) {
        const id = t < n ? final[ids[r * T + t]] : t === n ? vocab.eos : vocab.pad;
        ids[r * T + t] = id;
        if (id !== vocab.pad) valid++; // as the book: every entry that is not <pad>
      }
      validLen[r] = valid;
    }
    return { ids, validLen, rows, numSteps: T };
  }
}

/**
 * `loadDataNmt(rawText, options)` without its token lists: the same vocabularies and arrays
 * (the book's quirk included: lines 0 … numExamples are read).
 */
export function loadTrainingData(rawText: string, options: NmtDataOptions): TrainingData {
  const { numExamples, numSteps, minFreq = 2 } = options;
  if (numExamples !== undefined && (!Number.isInteger(numExamples) || numExamples < 0)) {
    throw new RangeError(`numExamples must be a non-negative integer, got ${numExamples}`);
  }
  if (!Number.isInteger(numSteps) || numSteps < 1) {
    throw new RangeError(`numSteps must be a positive integer, got ${numSteps}`);
  }
  const capacity = numExamples ? numExamples + 1 : lineCount(rawText);
  const sides = [new SideCounts(capacity, numSteps), new SideCounts(capacity, numSteps)];
  let i = 0;
  let rows = 0;
  for (const line of iterateLines(rawText)) {
    if (numExamples && i > numExamples) break;
    // The character before a line is '\n' (not a space), as in the whole text; line 0 has none.
    const parts = (i === 0 ? preprocessNmt(line) : preprocessNmt('\n' + line).slice(1)).split('\t');
    if (parts.length === 2) {
      sides[0].add(rows, parts[0].split(' '));
      sides[1].add(rows, parts[1].split(' '));
      rows++;
    }
    i++;
  }
  const src = sides[0].finish(rows, minFreq);
  const tgt = sides[1].finish(rows, minFreq);
  return { srcVocab: src.vocab, tgtVocab: tgt.vocab, src: src.array, tgt: tgt.array };
}

function lineCount(text: string): number {
  let n = 1;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) n++;
  return n;
}
