import { tf, Tensor } from '../model/tf';

/** One mini-batch as plain data: row-major (size, numSteps) token ids and valid lengths. */
export interface TrainBatch {
  src: Int32Array;
  srcValidLen: Int32Array;
  tgt: Int32Array;
  tgtValidLen: Int32Array;
  size: number;
}

export interface BatchTensors {
  encX: Tensor; // (batch, steps) int32
  encValidLens: Tensor; // (batch) int32
  decX: Tensor; // (batch, steps) int32: <bos> then the target without its last token
  labels: Tensor; // (batch, steps) int32
  labelValidLens: Tensor; // (batch) int32
}

/** Teacher forcing input: dec_input = cat([bos], Y[:, :-1]). */
export function teacherForcingInput(tgt: Int32Array, size: number, steps: number, bos: number) {
  const dec = new Int32Array(size * steps);
  for (let b = 0; b < size; b++) {
    dec[b * steps] = bos;
    dec.set(tgt.subarray(b * steps, b * steps + steps - 1), b * steps + 1);
  }
  return dec;
}

export function batchTensors(batch: TrainBatch, steps: number, bos: number): BatchTensors {
  const { size } = batch;
  return {
    encX: tf.tensor2d(batch.src, [size, steps], 'int32'),
    encValidLens: tf.tensor1d(batch.srcValidLen, 'int32'),
    decX: tf.tensor2d(teacherForcingInput(batch.tgt, size, steps, bos), [size, steps], 'int32'),
    labels: tf.tensor2d(batch.tgt, [size, steps], 'int32'),
    labelValidLens: tf.tensor1d(batch.tgtValidLen, 'int32'),
  };
}

/** Target tokens in a batch (the book's num_tokens = Y_valid_len.sum()). */
export function batchTokens(batch: TrainBatch): number {
  let n = 0;
  for (const v of batch.tgtValidLen) n += v;
  return n;
}
