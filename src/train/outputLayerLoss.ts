import { tf, Tensor } from '../model/tf';
import type { ForwardPass } from '../model/context';
import type { Dense } from '../model/dense';
import type { Tape } from '../model/tape';
import type { FastPath } from '../model/ops/fastPath';

/**
 * The largest (rows x vocabulary) block of logits the chunked output layer holds at once: 2^20
 * float32 values, 4 MiB (about 58 rows of the whole corpus's 17,851-word vocabulary).
 */
export const OUTPUT_CHUNK_ELEMENTS = 1 << 20;

/** Smallest positive normal float32: -log of it (~87.3) caps one token's loss (as loss.ts). */
const TINY = 1.1754943508222875e-38;

/**
 * Whether the training step runs its output layer in chunks (`outputLayerLossSum`): where the
 * batch's logits would exceed one chunk and tensor data is in this thread's memory (wasm, cpu).
 * The book's default (640 rows x 201 words, 128k values) stays on the plain dense layer and
 * maskedSoftmaxCELossSum, so its arithmetic, and its final loss, are unchanged.
 */
export function chunksOutputLayer(
  rows: number,
  vocab: number,
  fast: FastPath,
  chunkElements = OUTPUT_CHUNK_ELEMENTS,
): boolean {
  return fast.hostMemory && rows * vocab > chunkElements;
}

/** The rows of a batch that carry loss, in the layout's row order, with their labels. */
interface LossRows {
  /** Row index (into the (batch*steps, hidden) activation) of each valid token. */
  index: Int32Array;
  label: Int32Array;
}

function lossRows(labels: Tensor, validLen: Tensor, timeMajor: boolean, fast: FastPath) {
  const [B, T] = labels.shape as [number, number];
  const ids = Int32Array.from(fast.read(labels));
  const valid = Int32Array.from(fast.read(validLen));
  const index: number[] = [];
  const label: number[] = [];
  for (let r = 0; r < B * T; r++) {
    const b = timeMajor ? r % B : Math.floor(r / T);
    const t = timeMajor ? Math.floor(r / B) : r % T;
    if (t < valid[b]) {
      index.push(r);
      label.push(ids[b * T + t]);
    }
  }
  return { index: Int32Array.from(index), label: Int32Array.from(label) } as LossRows;
}

/**
 * The decoder's dense layer and the book's masked softmax cross-entropy in one op, `chunk` rows
 * at a time: the batch's summed loss (scalar), with a backward pass that gives the dense
 * layer's weight and bias and the hidden states their gradients. Same values as
 * dense + maskedSoftmaxCELossSum up to float32 summation order.
 *
 * Why (whole corpus, 17,851 words, 640 rows per step, wasm): the plain path holds seven
 * (640 x 17,851) tensors of 46 MB at once (logits, softmax, one-hot as int and float, products)
 * and spends 195 of 733 ms per step in two Sums over them (profiled with bench/profileStep.ts).
 * Here only the rows with loss (tokens inside the valid length; padding has weight 0) are
 * multiplied, the bias rides in the product as a column of ones, the gradient of the logits is
 * the softmax with 1 taken off each label in place (every valid token's weight is the same
 * 1/steps, applied once to the small results), and the bias gradient is the ones column's row
 * of the weight-gradient product: no one-hot, no Sum over the vocabulary, 4 MiB of logits live.
 */
export function outputLayerLossSum(
  hidden: Tensor,
  dense: Dense,
  labels: Tensor,
  validLen: Tensor,
  pass: ForwardPass,
  chunkElements = OUTPUT_CHUNK_ELEMENTS,
): Tensor {
  const tape = pass.tape;
  if (!tape) throw new Error('outputLayerLossSum runs on the training tape only');
  const fast = pass.fastPath;
  const { weight: W, bias: b } = dense;
  const [V, d] = W.shape as [number, number];
  const steps = labels.shape[1]!;
  const n = hidden.size / d;
  const rows = lossRows(labels, validLen, pass.timeMajor, fast);
  const m = rows.index.length;
  // The valid rows with a 1 appended: [x | 1] [W^T ; b] = x W^T + b in one product.
  const xAug = tf.tensor(augmentedRows(fast.read(hidden), rows.index, d, fast), [m, d + 1]);
  const wAug = tf.tidy(() => {
    const wt = tf.transpose(W);
    return b ? tf.concat([wt, b.reshape([1, V])], 0) : tf.concat([wt, tf.zeros([1, V])], 0);
  });
  const dX = new Float32Array(n * d); // rows without loss keep a zero gradient
  const chunk = Math.max(1, Math.floor(chunkElements / V));
  let lossSum = 0;
  let dWAug: Tensor | null = null; // (d + 1, V): dW^T over dW's d rows, then db
  for (let start = 0; start < m; start += chunk) {
    const r = Math.min(chunk, m - start);
    const next: Tensor = tf.tidy(() => {
      const xc = xAug.slice([start, 0], [r, d + 1]);
      const logits = tf.matMul(xc, wAug);
      const p = tf.softmax(logits);
      logits.dispose();
      const { loss, g } = softmaxMinusOneHot(p, rows.label, start, r, V, fast);
      lossSum += loss;
      const dXc = fast.read(tf.matMul(g, W)); // (r, d)
      for (let i = 0; i < r; i++)
        dX.set(dXc.subarray(i * d, (i + 1) * d), rows.index[start + i] * d);
      const part = tf.matMul(tf.transpose(xc), g);
      return dWAug ? tf.add(dWAug, part) : part;
    });
    dWAug?.dispose();
    dWAug = next;
  }
  const w = Math.fround(1 / steps); // every valid token's weight, as maskedSoftmaxCELossSum's
  const loss = tf.scalar(Math.fround(lossSum * w));
  const dXt = tf.tensor(dX, hidden.shape, 'float32');
  const dW = dWAug ? tf.transpose(dWAug.slice([0, 0], [d, V])) : tf.zerosLike(W);
  const db = dWAug ? dWAug.slice([d, 0], [1, V]).reshape([V]) : tf.zeros([V]);
  tf.dispose([xAug, wAug, dWAug ?? []]);
  tape.record([loss], ([dy]) => accumulateScaled(tape, tf.mul(dy!, w), hidden, dXt, W, dW, b, db));
  return loss;
}

function accumulateScaled(tape: Tape, scale: Tensor, ...pairs: (Tensor | null)[]): void {
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    const [t, g] = [pairs[i], pairs[i + 1]];
    if (t && g) tape.accumulate(t, tf.mul(g, scale));
  }
}

/** The valid rows of `x` (n, d), each followed by a 1: (m, d + 1). */
function augmentedRows(x: ArrayLike<number>, index: Int32Array, d: number, fast: FastPath) {
  const out = fast.buffers.get('upload', index.length * (d + 1));
  for (let i = 0; i < index.length; i++) {
    const o = i * (d + 1);
    for (let j = 0; j < d; j++) out[o + j] = x[index[i] * d + j];
    out[o + d] = 1;
  }
  return out;
}

/**
 * The chunk's summed -log p(label), and softmax - one-hot (the unweighted gradient of the
 * logits) by taking 1 off each row's label entry in place: on wasm `read` is a view of the heap,
 * so `p` itself becomes the gradient and nothing is uploaded (where uploads keep the array, as
 * on cpu, the edited values are wrapped instead).
 */
function softmaxMinusOneHot(
  p: Tensor,
  label: Int32Array,
  start: number,
  r: number,
  V: number,
  fast: FastPath,
): { loss: number; g: Tensor } {
  const view = fast.read(p) as Float32Array;
  let loss = 0;
  for (let i = 0; i < r; i++) {
    const at = i * V + label[start + i];
    loss -= Math.log(Math.max(view[at], TINY));
    view[at] -= 1;
  }
  return { loss, g: fast.buffers.reuse ? p : tf.tensor(view, [r, V], 'float32') };
}
