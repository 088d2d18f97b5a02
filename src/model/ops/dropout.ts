import { tf, Tensor } from '../tf';
import { Tape } from '../tape';
import { currentFastPath } from './fastPath';

/**
 * Dropout as the training step draws it: masks from a fast generator in JavaScript (mulberry32,
 * one upload and one multiply instead of tf.dropout's four kernels and seedrandom per value:
 * 18 x ~0.2 ms -> ~0.7 ms per step, docs/performance.md item 6), laid out for the layout the
 * tensor is in. Every layout gets the mask the batch-major layout would get for the same
 * element, so that a run is the same in either.
 */

/** Dropout with a mask drawn in JavaScript; records its backward pass when training on a tape. */
export function dropoutOp(
  x: Tensor,
  rate: number,
  training: boolean,
  seed: () => number,
  tape?: Tape,
  stepMajorRows?: { batch: number; steps: number },
): Tensor {
  if (!training || rate === 0) return x;
  const mask = stepMajorRows
    ? stepMajorMask(x.shape, stepMajorRows.batch, stepMajorRows.steps, rate, seed())
    : maskTensor(x.shape, rate, seed());
  const y = tf.mul(x, mask);
  if (tape) tape.record([y], ([dy]) => tape.accumulate(x, tf.mul(dy!, mask)));
  return y;
}

/**
 * The mask dropoutMask draws for (batch, steps, width) rows, for a tensor whose rows are
 * ordered (steps, batch): the same mask for every element as in the batch-major layout.
 */
function stepMajorMask(shape: number[], B: number, T: number, rate: number, seed: number) {
  const size = shape.reduce((a, b) => a * b, 1);
  const width = size / (B * T);
  const { buffers } = currentFastPath();
  const m = dropoutMask(size, rate, seed, buffers.get('draw', size));
  const out = buffers.get('upload', size);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      out.set(m.subarray((b * T + t) * width, (b * T + t + 1) * width), (t * B + b) * width);
    }
  }
  return tf.tensor(out, shape, 'float32');
}

/**
 * nn.Dropout's mask: each entry 0 with probability `rate`, else 1 / (1 - rate). Drawn with
 * mulberry32 from `seed`, 16 bits per entry (rate is quantised to 1/65536). tf.dropout draws its
 * uniforms one at a time through seedrandom, which cost ~10 ns per entry; this is ~1 ns.
 */
export function dropoutMask(
  size: number,
  rate: number,
  seed: number,
  out: Float32Array = new Float32Array(size),
): Float32Array {
  const keep = Math.fround(1 / (1 - rate));
  const threshold = Math.round(rate * 65536);
  let s = seed | 0;
  for (let i = 0; i < size; i += 2) {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    t = (t ^ (t >>> 14)) >>> 0;
    out[i] = (t & 0xffff) < threshold ? 0 : keep;
    if (i + 1 < size) out[i + 1] = t >>> 16 < threshold ? 0 : keep;
  }
  return out;
}

/** A dropout mask as a tensor of `shape` (its values in an 'upload' buffer, see HostBuffers). */
export function maskTensor(shape: number[], rate: number, seed: number): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const out = currentFastPath().buffers.get('upload', size);
  return tf.tensor(dropoutMask(size, rate, seed, out), shape, 'float32');
}

/** dropoutMask for (B, H, Q, K) in element order, as a (Q, B, H, K) tensor. */
export function permutedMask(
  B: number,
  H: number,
  Q: number,
  K: number,
  rate: number,
  seed: number,
) {
  const size = B * H * Q * K;
  const { buffers } = currentFastPath();
  const m = dropoutMask(size, rate, seed, buffers.get('draw', size));
  const out = buffers.get('upload', size);
  let i = 0;
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      for (let q = 0; q < Q; q++) {
        const o = ((q * B + b) * H + h) * K;
        for (let k = 0; k < K; k++) out[o + k] = m[i++];
      }
    }
  }
  return tf.tensor(out, [Q, B, H, K], 'float32');
}
