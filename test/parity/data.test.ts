/**
 * Parity of the data pipeline and the BLEU function with the book's Python code, using the
 * golden fixture written by `npm run fixtures` (test/reference/make_fixtures.py) from the
 * shared corpus.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { preprocessLineRange } from '../../src/data/lines';
import { loadDataNmt } from '../../src/data/nmtDataset';
import { preprocessNmt } from '../../src/data/preprocess';
import { tokenizeNmt } from '../../src/data/tokenize';
import { bleu } from '../../src/decode/bleu';

const FRA_TXT = path.resolve(__dirname, '../../../shared/data/fra-eng/fra.txt');
const FIXTURE = path.resolve(__dirname, '../fixtures/data-600.json');

/** A 2-D array either nested (`number[][]`) or as `{shape, data}` with row-major `data`. */
type Matrix = number[][] | { shape: number[]; data: number[] };
type Vector = number[] | { shape: number[]; data: number[] };

interface DataFixture {
  numExamples: number;
  numSteps: number;
  numPairs: number;
  srcVocab: string[];
  tgtVocab: string[];
  srcTokens?: string[][];
  tgtTokens?: string[][];
  srcArray: Matrix;
  srcValidLen: Vector;
  tgtArray: Matrix;
  tgtValidLen: Vector;
  preprocessedHead: string;
  bleuCases: { pred: string; label: string; k: number; bleu: number | null }[];
}

function flat(x: Matrix | Vector, rows: number, cols?: number): number[] {
  if (!Array.isArray(x)) {
    assert.deepEqual(x.shape, cols === undefined ? [rows] : [rows, cols], 'fixture shape');
    return x.data;
  }
  return (x as (number | number[])[]).flat();
}

function readOrFail(file: string, what: string): string {
  if (!fs.existsSync(file)) throw new Error(`${what} not found at ${file}`);
  return fs.readFileSync(file, 'utf8');
}

describe('data pipeline parity with the book (data-600.json)', () => {
  let fx: DataFixture;
  let raw: string;

  before(() => {
    fx = JSON.parse(
      readOrFail(FIXTURE, 'golden fixture (generate it with `npm run fixtures`)'),
    ) as DataFixture;
    raw = readOrFail(FRA_TXT, 'shared corpus ../shared/data/fra-eng/fra.txt');
  });

  it('preprocesses the head of the corpus identically', () => {
    // Python slices code points; compare code points, not UTF-16 units.
    const n = Array.from(fx.preprocessedHead).length;
    const head = (text: string): string =>
      Array.from(text.slice(0, 2 * n))
        .slice(0, n)
        .join('');
    assert.equal(head(preprocessNmt(raw)), fx.preprocessedHead);
    assert.equal(head(preprocessLineRange(raw, 0, 200)), fx.preprocessedHead);
  });

  it('reproduces the tokens, vocabularies, arrays and valid lengths', () => {
    const d = loadDataNmt(raw, { numExamples: fx.numExamples, numSteps: fx.numSteps });
    assert.equal(d.source.length, fx.numPairs);
    assert.equal(fx.numPairs, fx.numExamples + 1);
    if (fx.srcTokens) assert.deepEqual(d.source, fx.srcTokens);
    if (fx.tgtTokens) assert.deepEqual(d.target, fx.tgtTokens);
    assert.deepEqual(d.srcVocab.idxToToken, fx.srcVocab);
    assert.deepEqual(d.tgtVocab.idxToToken, fx.tgtVocab);
    assert.deepEqual(Array.from(d.src.ids), flat(fx.srcArray, fx.numPairs, fx.numSteps));
    assert.deepEqual(Array.from(d.tgt.ids), flat(fx.tgtArray, fx.numPairs, fx.numSteps));
    assert.deepEqual(Array.from(d.src.validLen), flat(fx.srcValidLen, fx.numPairs));
    assert.deepEqual(Array.from(d.tgt.validLen), flat(fx.tgtValidLen, fx.numPairs));
  });

  it('tokenizes the whole preprocessed corpus like the book (no line-range shortcut)', () => {
    const { source, target } = tokenizeNmt(preprocessNmt(raw), fx.numExamples);
    assert.equal(source.length, fx.numPairs);
    if (fx.srcTokens) assert.deepEqual(source, fx.srcTokens);
    if (fx.tgtTokens) assert.deepEqual(target, fx.tgtTokens);
  });

  it('matches every BLEU case within 1e-12', () => {
    assert.ok(fx.bleuCases.length > 0, 'fixture has no bleuCases');
    for (const c of fx.bleuCases) {
      // A null score would mean the book raised (prediction shorter than k): we return 0.
      const expected = c.bleu ?? 0;
      const got = bleu(c.pred, c.label, c.k);
      assert.ok(
        Math.abs(got - expected) <= 1e-12,
        `bleu(${JSON.stringify(c.pred)}, ${JSON.stringify(c.label)}, ${c.k}) = ${got}, ` +
          `book ${expected}`,
      );
    }
  });
});
