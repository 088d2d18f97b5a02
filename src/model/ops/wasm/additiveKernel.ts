import { ADDITIVE_WASM } from './additiveWasm';

/**
 * The fused additive-attention loops of additive.as.ts (WebAssembly SIMD), for the grouped
 * layout of ops/groupedAttention.ts: qh (Q*G, h), kh (K*G, h), w_v (h), scores (Q, G, K), h a
 * multiple of 4. One instance per thread, with its own memory: the caller's values are copied in
 * (the projections and scores are small; the (Q, G, K, h) features, 10x larger, never leave the
 * loops) and the results are views of that memory, valid until the next call.
 *
 * Why: over tfjs's ops the features took ~10 passes of their own (broadcast, sigmoid, matMuls,
 * sums, transposes): forward + backward 6.3 ms of a 22.4 ms step of 32 rows, measured in place
 * (docs/performance.md "Additive attention").
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

/** The part of the WebAssembly API used here (tsconfig's ES2022 lib declares none of it). */
declare const WebAssembly: {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: object };
};

interface Exports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  heapBase(): number;
  scores(...args: number[]): void;
  backward(...args: number[]): void;
}

/** The kernel, or null where this WebAssembly has no SIMD (the caller uses tfjs ops then). */
export function loadAdditiveKernel(): AdditiveKernel | null {
  const bytes = Buffer.from(ADDITIVE_WASM, 'base64');
  if (!WebAssembly.validate(bytes)) return null;
  const wasm = new WebAssembly.Instance(new WebAssembly.Module(bytes))
    .exports as unknown as Exports;
  const base = wasm.heapBase();

  /** Lays out arrays of these lengths from the heap's base (16-byte aligned): their offsets. */
  const layout = (lengths: number[]): number[] => {
    const offsets: number[] = [];
    let end = base;
    for (const n of lengths) {
      offsets.push(end);
      end += Math.ceil(n / 4) * 16;
    }
    const missing = end - wasm.memory.buffer.byteLength;
    if (missing > 0) wasm.memory.grow(Math.ceil(missing / 65536));
    return offsets;
  };
  const put = (at: number, values: Float32Array) =>
    new Float32Array(wasm.memory.buffer, at, values.length).set(values);
  const view = (at: number, n: number) => new Float32Array(wasm.memory.buffer, at, n);

  return {
    scores(qh, kh, wv, { Q, K, G, h }) {
      const [q, k, w, out] = layout([qh.length, kh.length, h, Q * G * K]);
      put(q, qh);
      put(k, kh);
      put(w, wv);
      wasm.scores(q, k, w, out, Q, K, G, h);
      return view(out, Q * G * K);
    },
    backward(qh, kh, wv, dScores, { Q, K, G, h }) {
      const lengths = [qh.length, kh.length, h, dScores.length, qh.length, kh.length, h];
      const [q, k, w, ds, dq, dk, dw] = layout(lengths);
      put(q, qh);
      put(k, kh);
      put(w, wv);
      put(ds, dScores);
      wasm.backward(q, k, w, ds, dq, dk, dw, Q, K, G, h);
      return { dqh: view(dq, qh.length), dkh: view(dk, kh.length), dwv: view(dw, h) };
    },
  };
}
