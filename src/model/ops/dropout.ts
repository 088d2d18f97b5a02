import { tf, Tensor } from '../tf';
import type { BlockRows, ForwardPass } from '../context';

/**
 * Dropout as the model draws it: masks from a fast generator in JavaScript (mulberry32, one
 * upload and one multiply instead of tf.dropout's four kernels and seedrandom per value:
 * 18 x ~0.2 ms -> ~0.7 ms per step, docs/performance.md item 6), laid out for the layout the
 * tensor is in. Every layout gets the mask the batch-major layout would get for the same
 * element, so that a run is the same in either. Each mask takes one seed from the pass.
 */

/**
 * nn.Dropout: active only in training, scales kept units by 1 / (1 - rate); records its
 * backward pass on the pass's tape. Inside a block in the time-major layout, x's rows are
 * step-major and the mask is laid out to match.
 */
export function dropout(x: Tensor, rate: number, pass: ForwardPass): Tensor {
  if (!pass.training || rate === 0) return x;
  const rows = pass.timeMajor ? pass.rows : undefined;
  const mask = rows
    ? stepMajorRowsMask(x.shape, rows, rate, pass)
    : dropoutMaskTensor(x.shape, rate, pass);
  const y = tf.mul(x, mask);
  const tape = pass.tape;
  if (tape) tape.record([y], ([dy]) => tape.accumulate(x, tf.mul(dy!, mask)));
  return y;
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

/** A dropout mask of `shape`, in element order, as a tensor. */
export function dropoutMaskTensor(shape: number[], rate: number, pass: ForwardPass): Tensor {
  const size = sizeOf(shape);
  const out = pass.fastPath.buffers.get('upload', size);
  return tf.tensor(dropoutMask(size, rate, pass.seed(), out), shape, 'float32');
}

/**
 * The mask for attention weights held (Q, B, H, K) (the grouped time-major layout): the one
 * drawn for (B, H, Q, K) in element order, permuted.
 */
export function timeMajorWeightsMask(shape: number[], rate: number, pass: ForwardPass): Tensor {
  const [Q, B, H, K] = shape as [number, number, number, number];
  const { buffers } = pass.fastPath;
  const size = sizeOf(shape);
  const m = dropoutMask(size, rate, pass.seed(), buffers.get('draw', size));
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
  return tf.tensor(out, shape, 'float32');
}

/**
 * The mask for rows ordered (steps, batch): the one drawn for the (batch, steps, width) rows of
 * the batch-major layout, each row moved to its step-major place.
 */
function stepMajorRowsMask(shape: number[], rows: BlockRows, rate: number, pass: ForwardPass) {
  const { batch: B, steps: T } = rows;
  const { buffers } = pass.fastPath;
  const size = sizeOf(shape);
  const width = size / (B * T);
  const m = dropoutMask(size, rate, pass.seed(), buffers.get('draw', size));
  const out = buffers.get('upload', size);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      out.set(m.subarray((b * T + t) * width, (b * T + t + 1) * width), (t * B + b) * width);
    }
  }
  return tf.tensor(out, shape, 'float32');
}

function sizeOf(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
