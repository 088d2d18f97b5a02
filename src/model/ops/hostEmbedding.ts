import { tf, Tensor } from '../tf';
import { Tape } from '../tape';
import { currentFastPath } from './fastPath';
import { dropoutMask } from './dropout';
import { EmbeddingMaskSlot } from './hostBuffers';

/**
 * The training step's embedding layer in one op: dropout(table[ids] * scale + positions), with
 * ids (B, T) int32, `positions` the (T, hidden) rows of the positional table. Records a backward
 * pass that scatter-adds into the table's gradient.
 *
 * On the wasm and cpu backends the rows are gathered, scaled and shifted in JavaScript (wasm's
 * GatherV2 takes ~0.5 ms for 640 rows; this ~30 us), with the same float32 arithmetic as the
 * tensor ops; elsewhere it is a gather with a one-hot matMul as its gradient.
 */
export function embedWithPositions(
  table: Tensor,
  ids: Tensor,
  scale: number,
  positions: Float32Array,
  dropoutRate: number,
  seed: () => number,
  tape: Tape,
  maskSlot: EmbeddingMaskSlot,
  timeMajor = false,
): Tensor {
  const [V, d] = table.shape as [number, number];
  const [B, T] = ids.shape as [number, number];
  const n = B * T;
  const s = Math.fround(scale);
  const fast = currentFastPath();
  // The backward pass reads the mask again: this call site's own slot (see BufferSlot).
  const mask =
    dropoutRate > 0
      ? dropoutMask(n * d, dropoutRate, seed(), fast.buffers.get(maskSlot, n * d))
      : null;
  if (!fast.hostMemory) {
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
  const idv = Int32Array.from(fast.read(ids)); // kept for the backward pass
  const tab = fast.read(table);
  const out = fast.buffers.get('upload', n * d);
  // Row i = b*T + t of the batch-major layout (and of the mask) goes to out row `at(i)`.
  const at = timeMajor
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
  const y = tf.tensor(out, timeMajor ? [T, B, d] : [B, T, d], 'float32');
  tape.record([y], ([dy]) => {
    const g = fast.read(dy!);
    const acc = new Float64Array(V * d);
    for (let i = 0; i < n; i++) {
      const row = idv[i] * d;
      const o = at(i);
      const mo = i * d;
      if (mask) for (let j = 0; j < d; j++) acc[row + j] += g[o + j] * mask[mo + j] * s;
      else for (let j = 0; j < d; j++) acc[row + j] += g[o + j] * s;
    }
    const grad = fast.buffers.get('upload', V * d);
    grad.set(acc);
    tape.accumulate(table, tf.tensor(grad, [V, d], 'float32'));
  });
  return y;
}
