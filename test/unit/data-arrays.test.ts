import * as assert from 'node:assert/strict';
import { buildArrayNmt, rowOf, truncatePad } from '../../src/data/arrays';
import { Vocab } from '../../src/data/vocab';

// <unk> 0, <pad> 1, <bos> 2, <eos> 3, go 4, . 5, hi 6
const vocab = Vocab.fromTable(['<unk>', '<pad>', '<bos>', '<eos>', 'go', '.', 'hi']);

describe('truncatePad', () => {
  it('pads on the right', () => {
    assert.deepEqual(truncatePad([4, 5], 4, 1), [4, 5, 1, 1]);
  });

  it('truncates', () => {
    assert.deepEqual(truncatePad([4, 5, 6, 7, 8], 3, 1), [4, 5, 6]);
  });

  it('keeps an exact fit', () => {
    assert.deepEqual(truncatePad([4, 5, 6], 3, 1), [4, 5, 6]);
  });
});

describe('buildArrayNmt', () => {
  it('appends <eos>, pads, and counts valid lengths', () => {
    const a = buildArrayNmt(
      [
        ['go', '.'],
        ['hi', 'zz', 'go', '.'],
        ['go', '.', 'hi'],
      ],
      vocab,
      4,
    );
    assert.equal(a.rows, 3);
    assert.equal(a.numSteps, 4);
    assert.deepEqual(Array.from(a.ids), [4, 5, 3, 1, 6, 0, 4, 5, 4, 5, 6, 3]);
    assert.deepEqual(rowOf(a, 0), [4, 5, 3, 1]);
    // Too long: truncation drops <eos>; the unknown "zz" is 0 and counts as valid.
    assert.deepEqual(rowOf(a, 1), [6, 0, 4, 5]);
    // numSteps - 1 tokens: <eos> just fits.
    assert.deepEqual(rowOf(a, 2), [4, 5, 6, 3]);
    assert.deepEqual(Array.from(a.validLen), [3, 4, 4]);
  });

  it('counts non-pad entries like the book, even a literal <pad> token', () => {
    const a = buildArrayNmt([['<pad>', 'go']], vocab, 4);
    assert.deepEqual(rowOf(a, 0), [1, 4, 3, 1]);
    assert.deepEqual(Array.from(a.validLen), [2]);
  });

  it('handles no lines and rejects a bad numSteps', () => {
    const a = buildArrayNmt([], vocab, 3);
    assert.equal(a.rows, 0);
    assert.equal(a.ids.length, 0);
    assert.throws(() => buildArrayNmt([['go']], vocab, 0), RangeError);
  });
});
