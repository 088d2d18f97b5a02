import * as assert from 'node:assert/strict';
import { TokenArray } from '../../src/data/arrays';
import { Batch, epochBatches, gatherBatch, numBatches, PairedArrays } from '../../src/data/batches';
import { Rng } from '../../src/util/rng';

/** `rows` rows of 2 steps: src row r = [r, 100 + r], tgt row r = [200 + r, 300 + r]. */
function makeData(rows: number): PairedArrays {
  const make = (base: number, valid: (r: number) => number): TokenArray => ({
    ids: Int32Array.from({ length: rows * 2 }, (_, i) => base + 100 * (i % 2) + Math.floor(i / 2)),
    validLen: Int32Array.from({ length: rows }, (_, r) => valid(r)),
    rows,
    numSteps: 2,
  });
  return { src: make(0, (r) => (r % 2) + 1), tgt: make(200, (r) => 2 - (r % 2)) };
}

const epoch = (data: PairedArrays, batchSize: number, rng: Rng): Batch[] => [
  ...epochBatches(data, batchSize, rng),
];

describe('mini-batches', () => {
  const data = makeData(10);

  it('cuts an epoch into full batches and a partial last one', () => {
    const batches = epoch(data, 4, new Rng(1));
    assert.deepEqual(
      batches.map((b) => b.size),
      [4, 4, 2],
    );
    assert.equal(numBatches(10, 4), 3);
    assert.equal(numBatches(8, 4), 2);
  });

  it('uses every row exactly once per epoch', () => {
    const rng = new Rng(7);
    for (let e = 0; e < 3; e++) {
      const seen = epoch(data, 3, rng).flatMap((b) => b.indices);
      assert.deepEqual(
        [...seen].sort((a, b) => a - b),
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      );
    }
  });

  it('gathers the rows and valid lengths of its indices', () => {
    for (const b of epoch(data, 4, new Rng(3))) {
      assert.equal(b.src.length, b.size * 2);
      assert.equal(b.tgt.length, b.size * 2);
      b.indices.forEach((r, i) => {
        assert.deepEqual(Array.from(b.src.subarray(2 * i, 2 * i + 2)), [r, 100 + r]);
        assert.deepEqual(Array.from(b.tgt.subarray(2 * i, 2 * i + 2)), [200 + r, 300 + r]);
        assert.equal(b.srcValidLen[i], (r % 2) + 1);
        assert.equal(b.tgtValidLen[i], 2 - (r % 2));
      });
    }
  });

  it('is reproducible for a seed and reshuffles every epoch', () => {
    const order = (rng: Rng): number[] => epoch(data, 4, rng).flatMap((b) => b.indices);
    const a = new Rng(42);
    const b = new Rng(42);
    const first = order(a);
    const second = order(a);
    assert.deepEqual(order(b), first);
    assert.deepEqual(order(b), second);
    assert.notDeepEqual(first, second);
    assert.notDeepEqual(order(new Rng(43)), first);
  });

  it('gives one batch when batchSize exceeds the rows', () => {
    const batches = epoch(data, 64, new Rng(1));
    assert.equal(batches.length, 1);
    assert.equal(batches[0].size, 10);
  });

  it('gathers explicit indices', () => {
    const b = gatherBatch(data, [3, 0]);
    assert.deepEqual(Array.from(b.src), [3, 103, 0, 100]);
    assert.deepEqual(Array.from(b.tgtValidLen), [1, 2]);
  });

  it('rejects a bad batch size or mismatched arrays', () => {
    assert.throws(() => epoch(data, 0, new Rng(1)), RangeError);
    const bad = { src: data.src, tgt: makeData(9).tgt };
    assert.throws(() => epoch(bad, 4, new Rng(1)), /source has 10 rows but target has 9/);
  });
});
