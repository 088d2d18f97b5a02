/**
 * Token ↔ index table of d2l.ai v0.17 §8.2 `Vocab`.
 *
 * Index 0 is `<unk>`, then the reserved tokens in the given order, then every token whose
 * frequency is at least `minFreq`, most frequent first. Ties keep the order in which the tokens
 * first occur in the corpus (Python's `Counter` keeps insertion order and `sorted` is stable,
 * also with `reverse=True`). A token already present (a reserved one) is not added twice.
 */

/** The serialised form written to checkpoints: the index-to-token table. */
export interface VocabJSON {
  idxToToken: string[];
}

export class Vocab {
  private table: string[] = [];
  private index = new Map<string, number>();

  /**
   * Counts `tokens` (a list of token lists, flattened as by the book's `count_corpus`) and
   * builds the table. `minFreq` of 0 or 1 keeps every token.
   */
  constructor(tokens: readonly (readonly string[])[] = [], minFreq = 0, reserved: string[] = []) {
    const counts = new Map<string, number>();
    for (const line of tokens) {
      for (const token of line) counts.set(token, (counts.get(token) ?? 0) + 1);
    }
    this.fill(counts, minFreq, reserved);
  }

  /**
   * The vocabulary of tokens already counted: `counts` in the order the tokens first occur (a
   * Map's insertion order), as the constructor counts them.
   */
  static fromCounts(counts: ReadonlyMap<string, number>, minFreq = 0, reserved: string[] = []) {
    const v = new Vocab();
    v.fill(counts, minFreq, reserved);
    return v;
  }

  private fill(counts: ReadonlyMap<string, number>, minFreq: number, reserved: string[]): void {
    // Array.prototype.sort is stable (ES2019), like Python's sorted(..., reverse=True).
    const freqs = [...counts.entries()].sort((a, b) => b[1] - a[1]);
    this.setTable(['<unk>', ...reserved]);
    for (const [token, freq] of freqs) {
      if (freq < minFreq) break;
      if (!this.index.has(token)) {
        const own = ownCopy(token);
        this.index.set(own, this.table.length);
        this.table.push(own);
      }
    }
  }

  /** Builds a vocabulary from an explicit index-to-token table (no counting). */
  static fromTable(idxToToken: readonly string[]): Vocab {
    if (idxToToken[0] !== '<unk>') throw new Error('vocabulary: index 0 must be "<unk>"');
    const v = new Vocab();
    v.setTable([...idxToToken]);
    return v;
  }

  /** Index → token. */
  get idxToToken(): readonly string[] {
    return this.table;
  }

  /** Number of tokens, `<unk>` and the reserved ones included (`len(vocab)`). */
  get size(): number {
    return this.table.length;
  }

  /** Index of `token`, or 0 (`<unk>`) when it is not in the table (`vocab[token]`). */
  indexOf(token: string): number {
    return this.index.get(token) ?? 0;
  }

  /** Indices of `tokens` (`vocab[tokens]`). */
  encode(tokens: readonly string[]): number[] {
    return tokens.map((t) => this.indexOf(t));
  }

  /** Tokens of `ids` (`vocab.to_tokens(ids)`); throws on an index outside the table. */
  decode(ids: ArrayLike<number>): string[] {
    const out: string[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (!Number.isInteger(id) || id < 0 || id >= this.table.length) {
        throw new RangeError(`vocabulary: index ${id} outside 0..${this.table.length - 1}`);
      }
      out.push(this.table[id]);
    }
    return out;
  }

  /** Index of `<unk>` (always 0). */
  get unk(): number {
    return 0;
  }

  /** Index of `<pad>`. */
  get pad(): number {
    return this.reservedIndex('<pad>');
  }

  /** Index of `<bos>`. */
  get bos(): number {
    return this.reservedIndex('<bos>');
  }

  /** Index of `<eos>`. */
  get eos(): number {
    return this.reservedIndex('<eos>');
  }

  toJSON(): VocabJSON {
    return { idxToToken: [...this.table] };
  }

  /** Rebuilds a vocabulary written by `toJSON`; throws a descriptive error on malformed input. */
  static fromJSON(json: unknown): Vocab {
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw new Error('vocabulary JSON: expected an object with an "idxToToken" array');
    }
    const table = (json as { idxToToken?: unknown }).idxToToken;
    if (!Array.isArray(table)) {
      throw new Error('vocabulary JSON: "idxToToken" must be an array of strings');
    }
    const bad = table.findIndex((t) => typeof t !== 'string');
    if (bad >= 0) {
      throw new Error(`vocabulary JSON: idxToToken[${bad}] is not a string`);
    }
    if (table[0] !== '<unk>') {
      throw new Error('vocabulary JSON: idxToToken[0] must be "<unk>"');
    }
    return Vocab.fromTable(table as string[]);
  }

  private setTable(table: string[]): void {
    const index = new Map<string, number>();
    table.forEach((t, i) => {
      if (index.has(t)) throw new Error(`vocabulary: duplicate token ${JSON.stringify(t)}`);
      index.set(t, i);
    });
    this.table = table;
    this.index = index;
  }

  private reservedIndex(token: string): number {
    const id = this.index.get(token);
    if (id === undefined) {
      throw new Error(`vocabulary has no ${token} token (it must be passed as a reserved token)`);
    }
    return id;
  }
}

/**
 * A token that does not point into the text it was cut from. V8 makes a substring of 13 or more
 * characters a view of its parent string: the 996 such tokens of the whole corpus's vocabularies
 * kept the whole preprocessed text (23.6 MB of UTF-16) alive as long as the vocabulary.
 */
function ownCopy(token: string): string {
  return structuredClone(token);
}
