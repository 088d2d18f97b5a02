import type { KernelExports, KernelMemory } from './kernels';

/**
 * groupProducts.as.ts: the attention's batched products over G groups, operands (steps, G,
 * width), without transposing any (ops/groupProducts.ts). Why: as XNNPACK depthwise
 * convolutions they took ~64 us a call for 10 x 10 x 8 per group and 128 groups, plus a
 * transpose or two per operand, 36 products a step (docs/performance.md).
 */
export interface GroupProductsKernel {
  /** x (M, G, d), y (N, G, d) -> (M, G, N): x[m, g] . y[n, g] */
  dots(x: Float32Array, y: Float32Array, dims: ProductDims): Float32Array;
  /** w (M, G, K) (`transposed`: (K, G, M)), y (K, G, d) -> (M, G, d): sum_k w(m, g, k) y[k, g] */
  weighted(w: Float32Array, y: Float32Array, dims: ProductDims, transposed: boolean): Float32Array;
}

/** M rows out, K (or N) the other operand's steps, G groups, d the rows' width. */
export interface ProductDims {
  M: number;
  K: number;
  G: number;
  d: number;
}

export function groupProductsKernel(
  wasm: KernelExports,
  memory: KernelMemory,
): GroupProductsKernel {
  const run = (a: Float32Array, b: Float32Array, n: number, call: (offsets: number[]) => void) => {
    const offsets = memory.place([a, b], [n]);
    call(offsets);
    return memory.view(offsets[2]!, n);
  };
  return {
    dots: (x, y, { M, K, G, d }) =>
      run(x, y, M * G * K, ([a, b, c]) => wasm.groupDots(a!, b!, c!, M, K, G, d)),
    weighted: (w, y, { M, K, G, d }, transposed) =>
      run(w, y, M * G * d, ([a, b, c]) =>
        wasm.groupWeighted(a!, b!, c!, M, K, G, d, transposed ? 1 : 0),
      ),
  };
}
