import type { KernelExports, KernelMemory } from './kernels';

/**
 * additive.as.ts's fused loops with their projections (linear.as.ts), for the grouped layout of
 * ops/groupedAttention.ts: the rows q (Q*G, qIn) and k (K*G, kIn), W_q (h, qIn), W_k (h, kIn),
 * w_v (h), scores (Q, G, K), h a multiple of 4. The (Q, G, K, h) features, 10x larger than
 * anything else here, never leave the loops; the projections never leave the module.
 *
 * Why: over tfjs's ops the features took ~10 passes of their own (broadcast, sigmoid, matMuls,
 * sums, transposes): forward + backward 6.3 ms of a 22.4 ms step of 32 rows, measured in place;
 * 1.7 ms through this kernel, and the projections' ~10 tfjs calls per attention call fused too
 * (docs/performance.md "A fused WebAssembly kernel").
 */
export interface AdditiveKernel {
  scores(x: AdditiveValues, dims: KernelDims): Float32Array;
  backward(x: AdditiveValues, dScores: Float32Array, dims: KernelDims): AdditiveGradients;
}

/** The inputs' and parameters' values. */
export interface AdditiveValues {
  q: Float32Array;
  k: Float32Array;
  Wq: Float32Array;
  Wk: Float32Array;
  wv: Float32Array;
}

/** Their gradients (views of the kernel's memory, valid until its next call). */
export type AdditiveGradients = { [name in keyof AdditiveValues]: Float32Array };

/** Q queries, K keys, G groups (batch x heads), h hidden features; the rows' widths. */
export interface KernelDims {
  Q: number;
  K: number;
  G: number;
  h: number;
  qIn: number;
  kIn: number;
}

export function additiveKernel(wasm: KernelExports, memory: KernelMemory): AdditiveKernel {
  const { view } = memory;
  /** Places the values, then `more` inputs, then outputs of `extra` values: all their offsets. */
  const place = (x: AdditiveValues, more: Float32Array[], extra: number[]) =>
    memory.place([x.q, x.k, x.Wq, x.Wk, x.wv, ...more], extra);
  /** qh = q W_q^T, kh = k W_k^T at offsets qh, kh. */
  const project = (o: number[], qh: number, kh: number, { Q, K, G, h, qIn, kIn }: KernelDims) => {
    wasm.linearForward(o[0]!, o[2]!, qh, Q * G, qIn, h);
    wasm.linearForward(o[1]!, o[3]!, kh, K * G, kIn, h);
  };
  return {
    scores(x, dims) {
      const { Q, K, G, h } = dims;
      const o = place(x, [], [Q * G * h, K * G * h, Q * G * K]);
      const [qh, kh, out] = o.slice(5) as [number, number, number];
      project(o, qh, kh, dims);
      wasm.additiveScores(qh, kh, o[4]!, out, Q, K, G, h);
      return view(out, Q * G * K);
    },
    backward(x, dScores, dims) {
      const { Q, K, G, h, qIn, kIn } = dims;
      const [nq, nk] = [Q * G * h, K * G * h];
      const o = place(x, [dScores], [nq, nk, nq, nk, h, x.q.length, x.k.length, h * qIn, h * kIn]);
      const [ds, qh, kh, dqh, dkh, dwv, dq, dk, dWq, dWk] = o.slice(5) as number[];
      project(o, qh!, kh!, dims);
      wasm.additiveBackward(qh!, kh!, o[4]!, ds!, dqh!, dkh!, dwv!, Q, K, G, h);
      wasm.linearBackward(dqh!, o[0]!, o[2]!, dq!, dWq!, Q * G, qIn, h);
      wasm.linearBackward(dkh!, o[1]!, o[3]!, dk!, dWk!, K * G, kIn, h);
      return {
        q: view(dq!, x.q.length),
        k: view(dk!, x.k.length),
        Wq: view(dWq!, h * qIn),
        Wk: view(dWk!, h * kIn),
        wv: view(dwv!, h),
      };
    },
  };
}
