import { tf, Tensor } from '../tf';
import type { ForwardPass } from '../context';
import { Tape } from '../tape';
import { dropoutMask } from './dropout';
import { EmbeddingMaskSlot } from './hostBuffers';

/** What the training step's embedding reads (the encoder's or the decoder's). */
export interface EmbeddingInput {
  table: Tensor; // (V, hidden): the embedding weight
  ids: Tensor; // (B, T) int32
  scale: number; // sqrt(hidden)
  positions: Float32Array; // (T, hidden): the rows of the positional table
  dropoutRate: number; // applied in training only
  /** Where the dropout mask waits for the backward pass: the call site's own slot. */
  maskSlot: EmbeddingMaskSlot;
}

/**
 * The training step's embedding layer in one op: dropout(table[ids] * scale + positions)
 * -> (B, T, hidden), or (T, B, hidden) in the time-major layout. Records a backward pass that
 * scatter-adds into the table's gradient.
 *
 * Where tensor data is in host memory (wasm, cpu) the rows are gathered, scaled and shifted in
 * JavaScript (wasm's GatherV2 takes ~0.5 ms for 640 rows; this ~30 us), with the same float32
 * arithmetic as the tensor ops; elsewhere it is a gather with a one-hot matMul as its gradient.
 */
export function embedWithPositions(input: EmbeddingInput, pass: ForwardPass): Tensor {
  const { table, ids, maskSlot } = input;
  const tape = pass.tape;
  if (!tape) throw new Error('embedWithPositions runs on the training tape only');
  const d = table.shape[1]!;
  const n = ids.size;
  const rate = pass.training ? input.dropoutRate : 0;
  const mask =
    rate > 0
      ? dropoutMask(n * d, rate, pass.seed(), pass.fastPath.buffers.get(maskSlot, n * d))
      : null;
  return pass.fastPath.hostMemory
    ? hostEmbedding(input, mask, pass, tape)
    : gatherEmbedding(input, mask, tape);
}

/** Tensor ops for backends whose data is not in this thread's memory (the GPU's). */
function gatherEmbedding(input: EmbeddingInput, mask: Float32Array | null, tape: Tape): Tensor {
  const { table, ids, positions } = input;
  const [V, d] = table.shape as [number, number];
  const [B, T] = ids.shape as [number, number];
  const n = B * T;
  const s = Math.fround(input.scale);
  const flat = ids.reshape([-1]);
  const rows = tf.add(
    tf.mul(tf.gather(table, flat), s),
    tf.tensor(positions, [1, T, d]).reshape([T, d]).tile([B, 1]),
  );
  const maskT = mask ? tf.tensor(mask, [n, d]) : null;
  const y = (maskT ? tf.mul(rows, maskT) : rows).reshape([B, T, d]);
  tape.record([y], ([dy]) => {
    let g = tf.mul(dy!.reshape([n, d]), s);
    if (maskT) g = tf.mul(g, maskT);
    const oneHotT = tf.cast(tf.oneHot(flat as tf.Tensor1D, V), 'float32');
    tape.accumulate(table, tf.matMul(tf.transpose(oneHotT), g));
  });
  return y;
}

/** The rows gathered, scaled, shifted and dropped in JavaScript; same float32 arithmetic. */
function hostEmbedding(
  input: EmbeddingInput,
  mask: Float32Array | null,
  pass: ForwardPass,
  tape: Tape,
): Tensor {
  const { table, ids, positions } = input;
  const [V, d] = table.shape as [number, number];
  const [B, T] = ids.shape as [number, number];
  const n = B * T;
  const s = Math.fround(input.scale);
  const fast = pass.fastPath;
  const idv = Int32Array.from(fast.read(ids)); // kept for the backward pass
  const tab = fast.read(table);
  const out = fast.buffers.get('upload', n * d);
  // Row i = b*T + t of the batch-major layout (and of the mask) goes to out row `at(i)`.
  const at = pass.timeMajor
    ? (i: number) => ((i % T) * B + Math.floor(i / T)) * d
    : (i: number) => i * d;
  for (let i = 0; i < n; i++) {
    const row = idv[i] * d;
    const pos = (i % T) * d;
    const o = at(i);
    const mo = i * d;
    for (let j = 0; j < d; j++) {
      const v = Math.fround(Math.fround(tab[row + j] * s) + positions[pos + j]);
      out[o + j] = mask ? v * mask[mo + j] : v;
    }
  }
  const y = tf.tensor(out, pass.timeMajor ? [T, B, d] : [B, T, d], 'float32');
  tape.record([y], ([dy]) => {
    const g = fast.read(dy!);
    const { rows, slotOf } = touchedRows(idv);
    const acc = new Float64Array(rows.length * d); // float64 sums, rounded once as before
    for (let i = 0; i < n; i++) {
      const row = slotOf.get(idv[i])! * d;
      const o = at(i);
      const mo = i * d;
      if (mask) for (let j = 0; j < d; j++) acc[row + j] += g[o + j] * mask[mo + j] * s;
      else for (let j = 0; j < d; j++) acc[row + j] += g[o + j] * s;
    }
    const grad = fast.buffers.get('upload', V * d).fill(0);
    rows.forEach((id, k) => grad.set(acc.subarray(k * d, (k + 1) * d), id * d));
    tape.accumulate(table, tf.tensor(grad, [V, d], 'float32'));
  });
  return y;
}

/**
 * The distinct ids of a batch and each one's slot: the backward pass sums into one float64 row
 * per distinct id (at most 640 of them) instead of a Float64Array of the whole table, which the
 * whole corpus's 17,851-word vocabulary made 4.6 MB of garbage per step.
 */
function touchedRows(ids: Int32Array): { rows: number[]; slotOf: Map<number, number> } {
  const slotOf = new Map<number, number>();
  const rows: number[] = [];
  for (const id of ids) {
    if (!slotOf.has(id)) {
      slotOf.set(id, rows.length);
      rows.push(id);
    }
  }
  return { rows, slotOf };
}
