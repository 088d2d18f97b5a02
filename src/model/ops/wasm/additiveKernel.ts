import type { KernelExports, KernelMemory } from './kernels';

/**
 * additive.as.ts's fused loops, for the grouped layout of ops/groupedAttention.ts: qh (Q*G, h),
 * kh (K*G, h), w_v (h), scores (Q, G, K), h a multiple of 4. The projections and scores are
 * small; the (Q, G, K, h) features, 10x larger, never leave the loops.
 *
 * Why: over tfjs's ops the features took ~10 passes of their own (broadcast, sigmoid, matMuls,
 * sums, transposes): forward + backward 6.3 ms of a 22.4 ms step of 32 rows, measured in place;
 * 1.7 ms through this kernel (docs/performance.md "A fused WebAssembly kernel").
 */
export interface AdditiveKernel {
  scores(qh: Float32Array, kh: Float32Array, wv: Float32Array, dims: KernelDims): Float32Array;
  backward(
    qh: Float32Array,
    kh: Float32Array,
    wv: Float32Array,
    dScores: Float32Array,
    dims: KernelDims,
  ): { dqh: Float32Array; dkh: Float32Array; dwv: Float32Array };
}

/** Q queries, K keys, G groups (batch x heads), h features per head. */
export interface KernelDims {
  Q: number;
  K: number;
  G: number;
  h: number;
}

export function additiveKernel(wasm: KernelExports, memory: KernelMemory): AdditiveKernel {
  const { layout, put, view } = memory;
  return {
    scores(qh, kh, wv, { Q, K, G, h }) {
      const [q, k, w, out] = layout([qh.length, kh.length, h, Q * G * K]);
      put(q, qh);
      put(k, kh);
      put(w, wv);
      wasm.additiveScores(q, k, w, out, Q, K, G, h);
      return view(out, Q * G * K);
    },
    backward(qh, kh, wv, dScores, { Q, K, G, h }) {
      const lengths = [qh.length, kh.length, h, dScores.length, qh.length, kh.length, h];
      const [q, k, w, ds, dq, dk, dw] = layout(lengths);
      put(q, qh);
      put(k, kh);
      put(w, wv);
      put(ds, dScores);
      wasm.additiveBackward(q, k, w, ds, dq, dk, dw, Q, K, G, h);
      return { dqh: view(dq, qh.length), dkh: view(dk, kh.length), dwv: view(dw, h) };
    },
  };
}
