import * as assert from 'node:assert/strict';
import { preprocessLineRange, sliceLines } from '../../src/data/lines';
import { preprocessNmt } from '../../src/data/preprocess';
import { firstUnusedLine, iterateLines, tokenizeNmt, tokenizeRange } from '../../src/data/tokenize';

// Lines 0..5: three pairs (0, 1, 4), a line without a tab, one with two tabs, the empty tail.
const TEXT = 'go .\tva !\nhi .\tsalut !\nbad line\na\tb\tc\nrun !\tcours !\n';

/** `e0\tf0\n … e{n-1}\tf{n-1}\n` */
const numbered = (n: number): string =>
  Array.from({ length: n }, (_, i) => `e${i}\tf${i}\n`).join('');

describe('tokenizeNmt', () => {
  it('splits pairs on the tab and tokens on single spaces', () => {
    assert.deepEqual(tokenizeNmt(TEXT), {
      source: [
        ['go', '.'],
        ['hi', '.'],
        ['run', '!'],
      ],
      target: [
        ['va', '!'],
        ['salut', '!'],
        ['cours', '!'],
      ],
    });
  });

  it('keeps empty tokens like Python split(" ")', () => {
    assert.deepEqual(tokenizeNmt('a  b \tc'), { source: [['a', '', 'b', '']], target: [['c']] });
  });

  it("reads lines 0 … numExamples (the book's off-by-one)", () => {
    assert.equal(tokenizeNmt(TEXT, 1).source.length, 2);
    // Lines 0..3: the two malformed lines still count.
    assert.equal(tokenizeNmt(TEXT, 3).source.length, 2);
    assert.equal(tokenizeNmt(TEXT, 4).source.length, 3);
  });

  it('gives 601 pairs for numExamples = 600', () => {
    const { source, target } = tokenizeNmt(numbered(700), 600);
    assert.equal(source.length, 601);
    assert.deepEqual(source[600], ['e600']);
    assert.deepEqual(target[600], ['f600']);
  });

  it('reads everything for numExamples undefined or 0 (falsy in Python)', () => {
    assert.equal(tokenizeNmt(numbered(700)).source.length, 700);
    assert.equal(tokenizeNmt(numbered(700), 0).source.length, 700);
  });
});

describe('tokenizeRange', () => {
  it('reads the lines from … from+count-1 (0-based), skipping malformed ones', () => {
    assert.deepEqual(tokenizeRange(TEXT, 1, 3).source, [['hi', '.']]);
    assert.deepEqual(tokenizeRange(TEXT, 4, 10).source, [['run', '!']]);
    assert.deepEqual(tokenizeRange(TEXT, 0, 0).source, []);
  });

  it('starts right after the pairs used by tokenizeNmt', () => {
    const text = numbered(700);
    const from = firstUnusedLine(600);
    assert.equal(from, 601);
    const held = tokenizeRange(text, from, 5).source.map((t) => t[0]);
    assert.deepEqual(held, ['e601', 'e602', 'e603', 'e604', 'e605']);
  });

  it('rejects a negative or fractional range', () => {
    assert.throws(() => tokenizeRange(TEXT, -1, 2), RangeError);
    assert.throws(() => tokenizeRange(TEXT, 0, 1.5), RangeError);
  });
});

describe('line slicing', () => {
  it('iterates like split("\\n")', () => {
    assert.deepEqual([...iterateLines('a\nb\n')], ['a', 'b', '']);
    assert.deepEqual([...iterateLines('')], ['']);
  });

  it('slices lines without a trailing newline', () => {
    assert.equal(sliceLines('a\nb\nc\n', 0, 2), 'a\nb');
    assert.equal(sliceLines('a\nb\nc\n', 1, 1), 'b');
    // Lines 2 and 3 are 'c' and the empty tail.
    assert.equal(sliceLines('a\nb\nc\n', 2, 5), 'c\n');
    assert.equal(sliceLines('a\nb', 5, 1), '');
  });

  it('preprocesses a range exactly like the same lines of the preprocessed text', () => {
    const raw = 'X.\tY!\n.Lead\tX\nA,B\tC\u202f?\n!\t!\nLast.\tFin.';
    const whole = preprocessNmt(raw);
    for (let from = 0; from <= 5; from++) {
      for (let count = 0; count <= 6; count++) {
        assert.equal(
          preprocessLineRange(raw, from, count),
          sliceLines(whole, from, count),
          `from=${from} count=${count}`,
        );
      }
    }
    // A line starting with punctuation gets the space it gets in the whole text.
    assert.equal(preprocessLineRange(raw, 1, 1), ' .lead\tx');
  });
});
