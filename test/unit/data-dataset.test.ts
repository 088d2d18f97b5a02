import * as assert from 'node:assert/strict';
import { rowOf } from '../../src/data/arrays';
import { loadDataNmt, RESERVED_TOKENS } from '../../src/data/nmtDataset';

// After preprocessing: "go .\tva !", "hi .\tsalut !", "go .\tbouge !", " .wow\tah !" (the last
// line's "." follows the previous "\n", so it gets a space and the source starts with '').
const RAW = 'Go.\tVa !\nHi.\tSalut\u202f!\nGo.\tBouge !\n.Wow\tAh!\n';

describe('loadDataNmt', () => {
  it('builds both vocabularies and arrays like load_data_nmt', () => {
    const d = loadDataNmt(RAW, { numSteps: 4 });
    assert.deepEqual(RESERVED_TOKENS, ['<pad>', '<bos>', '<eos>']);
    // Source counts: go 2, . 3, hi 1, '' 1, .wow 1 → ". go" survive minFreq 2 ("." first: 3 > 2).
    assert.deepEqual(d.srcVocab.idxToToken, ['<unk>', '<pad>', '<bos>', '<eos>', '.', 'go']);
    // Target counts: ! 4, others 1.
    assert.deepEqual(d.tgtVocab.idxToToken, ['<unk>', '<pad>', '<bos>', '<eos>', '!']);
    assert.deepEqual(d.source, [
      ['go', '.'],
      ['hi', '.'],
      ['go', '.'],
      ['', '.wow'],
    ]);
    assert.deepEqual(d.target[1], ['salut', '!']);
    assert.deepEqual(rowOf(d.src, 0), [5, 4, 3, 1]);
    assert.deepEqual(rowOf(d.src, 1), [0, 4, 3, 1]);
    assert.deepEqual(rowOf(d.src, 3), [0, 0, 3, 1]);
    assert.deepEqual(Array.from(d.src.validLen), [3, 3, 3, 3]);
    assert.deepEqual(rowOf(d.tgt, 3), [0, 4, 3, 1]);
  });

  it("keeps the book's numExamples + 1 quirk and minFreq option", () => {
    const d = loadDataNmt(RAW, { numExamples: 1, numSteps: 3, minFreq: 1 });
    assert.equal(d.src.rows, 2);
    assert.deepEqual(d.srcVocab.idxToToken, ['<unk>', '<pad>', '<bos>', '<eos>', '.', 'go', 'hi']);
    // "go ." + <eos> fits exactly in 3 steps.
    assert.deepEqual(rowOf(d.src, 0), [5, 4, 3]);
  });

  it('gives the same result with and without a line limit beyond the text', () => {
    const all = loadDataNmt(RAW, { numSteps: 5 });
    const limited = loadDataNmt(RAW, { numExamples: 100, numSteps: 5 });
    assert.deepEqual(limited.srcVocab.idxToToken, all.srcVocab.idxToToken);
    assert.deepEqual(limited.tgt.ids, all.tgt.ids);
  });

  it('rejects a negative numExamples', () => {
    assert.throws(() => loadDataNmt(RAW, { numExamples: -1, numSteps: 4 }), RangeError);
  });
});
