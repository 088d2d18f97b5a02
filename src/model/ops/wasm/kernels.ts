import { KERNELS_WASM } from './kernelsWasm';
import { AdditiveKernel, additiveKernel } from './additiveKernel';
import { GroupProductsKernel, groupProductsKernel } from './groupProductsKernel';
import { LayerNormKernel, layerNormKernel } from './layerNormKernel';
import { SoftmaxKernel, softmaxKernel } from './softmaxKernel';

/**
 * The fused WebAssembly SIMD kernels of the training step on wasm: every *.as.ts beside this
 * file, compiled by scripts/buildKernels.mjs into one module (kernelsWasm.ts, base64: no .wasm
 * file to find at run time). One instance per thread, with its own memory: a call copies its
 * inputs in (`put`), and its results are views of that memory (`view`), valid until the next
 * call, which the caller uploads to tfjs at once.
 */
export interface WasmKernels {
  additive: AdditiveKernel;
  layerNorm: LayerNormKernel;
  softmax: SoftmaxKernel;
  groupProducts: GroupProductsKernel;
}

/** The module's exports: its memory and the kernels' entry points (byte offsets and sizes). */
export interface KernelExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  heapBase(): number;
  additiveScores(...args: number[]): void;
  additiveBackward(...args: number[]): void;
  linearForward(...args: number[]): void;
  linearBackward(...args: number[]): void;
  layerNormForward(...args: number[]): void;
  layerNormBackward(...args: number[]): void;
  maskedSoftmaxForward(...args: number[]): void;
  maskedSoftmaxBackward(...args: number[]): void;
  groupDots(...args: number[]): void;
  groupWeighted(...args: number[]): void;
}

/** The module's memory as the kernels' wrappers use it. */
export interface KernelMemory {
  /**
   * Lays out a call's `inputs`, then its outputs of `outputs` float32 values each, one after
   * another from the heap's base, 16-byte aligned, growing the memory as needed, and copies the
   * inputs in: the byte offsets of all, 0 for an absent (null) input.
   */
  place(inputs: (Float32Array | null)[], outputs: number[]): number[];
  /** Writes `values` as int32 from byte offset `at` (a kernel's shape and strides). */
  putInts(at: number, values: number[]): void;
  /** n float32 values at byte offset `at`: a view, valid until the next call. */
  view(at: number, n: number): Float32Array;
}

/** The part of the WebAssembly API used here (tsconfig's ES2022 lib declares none of it). */
declare const WebAssembly: {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: object };
};

/** The kernels, or null where this WebAssembly has no SIMD (the callers use tfjs ops then). */
export function loadKernels(): WasmKernels | null {
  // atob, not Buffer: this module is also type-checked with the webviews' DOM-only types
  const bytes = Uint8Array.from(atob(KERNELS_WASM), (c) => c.charCodeAt(0));
  if (!WebAssembly.validate(bytes)) return null;
  const wasm = new WebAssembly.Instance(new WebAssembly.Module(bytes))
    .exports as unknown as KernelExports;
  const base = wasm.heapBase();
  const memory: KernelMemory = {
    place(inputs, outputs) {
      const offsets: number[] = [];
      let end = base;
      for (const n of [...inputs.map((a) => a?.length ?? 0), ...outputs]) {
        offsets.push(end);
        end += Math.ceil(n / 4) * 16;
      }
      const missing = end - wasm.memory.buffer.byteLength;
      if (missing > 0) wasm.memory.grow(Math.ceil(missing / 65536));
      inputs.forEach((a, i) => {
        if (a) new Float32Array(wasm.memory.buffer, offsets[i], a.length).set(a);
        else offsets[i] = 0;
      });
      return offsets;
    },
    putInts: (at, values) => new Int32Array(wasm.memory.buffer, at, values.length).set(values),
    view: (at, n) => new Float32Array(wasm.memory.buffer, at, n),
  };
  return {
    additive: additiveKernel(wasm, memory),
    layerNorm: layerNormKernel(wasm, memory),
    softmax: softmaxKernel(wasm, memory),
    groupProducts: groupProductsKernel(wasm, memory),
  };
}
