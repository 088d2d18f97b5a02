/**
 * Shuffled mini-batches of the book's `d2l.load_array(..., is_train=True)`, i.e. a PyTorch
 * `DataLoader(shuffle=True, drop_last=False)`: every epoch draws a fresh permutation of the rows
 * from the seeded `Rng` and cuts it into batches of `batchSize`; the last batch holds the
 * remainder. The order differs from PyTorch's generator; the batch contents follow the same rule.
 */
import { Rng } from '../util/rng';
import { TokenArray } from './arrays';

/** One mini-batch as plain row-major data (`size × numSteps`). */
export interface Batch {
  src: Int32Array;
  srcValidLen: Int32Array;
  tgt: Int32Array;
  tgtValidLen: Int32Array;
  /** Rows in this batch (`batchSize`, or fewer for the last one). */
  size: number;
  /** Rows of the dataset in this batch, in batch order. */
  indices: number[];
}

/** Source and target arrays with the same number of rows. */
export interface PairedArrays {
  src: TokenArray;
  tgt: TokenArray;
}

/** Number of batches per epoch (`ceil(rows / batchSize)`). */
export function numBatches(rows: number, batchSize: number): number {
  return Math.ceil(rows / batchSize);
}

/** Gathers the given rows of `data` into one batch. */
export function gatherBatch(data: PairedArrays, indices: readonly number[]): Batch {
  return {
    src: gatherRows(data.src.ids, data.src.numSteps, indices),
    srcValidLen: Int32Array.from(indices, (r) => data.src.validLen[r]),
    tgt: gatherRows(data.tgt.ids, data.tgt.numSteps, indices),
    tgtValidLen: Int32Array.from(indices, (r) => data.tgt.validLen[r]),
    size: indices.length,
    indices: [...indices],
  };
}

/** One epoch: a new permutation from `rng`, then the batches in order. */
export function* epochBatches(data: PairedArrays, batchSize: number, rng: Rng): Generator<Batch> {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  }
  if (data.src.rows !== data.tgt.rows) {
    throw new Error(`source has ${data.src.rows} rows but target has ${data.tgt.rows}`);
  }
  const order = rng.permutation(data.src.rows);
  for (let start = 0; start < order.length; start += batchSize) {
    yield gatherBatch(data, order.slice(start, start + batchSize));
  }
}

function gatherRows(ids: Int32Array, numSteps: number, indices: readonly number[]): Int32Array {
  const out = new Int32Array(indices.length * numSteps);
  indices.forEach((r, i) => out.set(ids.subarray(r * numSteps, (r + 1) * numSteps), i * numSteps));
  return out;
}
