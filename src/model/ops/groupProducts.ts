import { tf, Tensor } from '../tf';
import type { FastPath } from './fastPath';

/**
 * The attention's batched products over G = batch x heads independent groups in the grouped
 * time-major layout (ops/groupedAttention.ts), every operand (steps, G, width). Two shapes of
 * product make all six of a layer's forward and backward pass:
 */
export interface GroupProducts {
  /** x (M, G, d), y (N, G, d) -> (M, G, N): x[m, g] . y[n, g] (Q K^T, dO V^T) */
  dots(x: Tensor, y: Tensor): Tensor;
  /**
   * w (M, G, K), or `transposed` (K, G, M), and y (K, G, d) -> (M, G, d): the sum over k of
   * w(m, g, k) y[k, g] (P V, dS K; transposed: dS^T Q, P^T dO)
   */
  weighted(w: Tensor, y: Tensor, transposed?: boolean): Tensor;
}

/** The products of this fast path: the fused kernel where it has the kernels, else tfjs ops. */
export function groupProductsOf(fast: FastPath): GroupProducts {
  return fast.kernels ? kernelProducts(fast) : opsProducts;
}

/** As XNNPACK depthwise convolutions (`groupMatMul`), each operand transposed to fit first. */
const opsProducts: GroupProducts = {
  dots: (x, y) => groupMatMul(tf.transpose(x, [0, 2, 1]), tf.transpose(y, [2, 1, 0])),
  weighted: (w, y, transposed = false) =>
    groupMatMul(tf.transpose(w, transposed ? [2, 0, 1] : [0, 2, 1]), y),
};

/**
 * Through ops/wasm/groupProducts.as.ts, operands as they are: one call each, no transpose
 * (docs/performance.md "Fused group products").
 */
function kernelProducts(fast: FastPath): GroupProducts {
  const kernel = fast.kernels!.groupProducts;
  const read = (t: Tensor) => fast.read(t) as Float32Array;
  return {
    dots(x, y) {
      const [M, G, d] = x.shape as [number, number, number];
      const K = y.shape[0]!;
      return tf.tensor3d(kernel.dots(read(x), read(y), { M, K, G, d }), [M, G, K]);
    },
    weighted(w, y, transposed = false) {
      const [K, G, d] = y.shape as [number, number, number];
      const M = w.shape[transposed ? 2 : 0]!;
      const c = kernel.weighted(read(w), read(y), { M, K, G, d }, transposed);
      return tf.tensor3d(c, [M, G, d]);
    },
  };
}

/**
 * C[g] = A[g] B[g] for G independent small matrices, a (M, K, G) and b (K, G, N) -> (M, G, N),
 * computed as one depthwise convolution: input (1, M, K, G) with a (1, K, G, N) filter, channel
 * multiplier N. On wasm that runs on XNNPACK (~55 us for the attention's 256 groups of 10x8x10);
 * a batched tf.matMul there takes the scalar fallback (~200 us).
 */
function groupMatMul(a: Tensor, b: Tensor): Tensor {
  const [M, K, G] = a.shape as [number, number, number];
  const N = b.shape[2]!;
  const out = tf.depthwiseConv2d(
    a.reshape([1, M, K, G]) as tf.Tensor4D,
    b.reshape([1, K, G, N]) as tf.Tensor4D,
    1,
    'valid',
  );
  return out.reshape([M, G, N]);
}
