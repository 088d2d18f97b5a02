/**
 * One training thread's share of the process's memory, for the bench (scripts/bench/largeRun.ts)
 * to say where the resident bytes of a whole-corpus run are. Resident memory (RSS) is one number
 * for the whole process; these are the parts each thread (each V8 isolate) holds.
 */
import { tf } from '../model/tf';

export interface ThreadMemory {
  /** This isolate's V8 heap: live and garbage objects (`heapUsed`), pages it holds (`heapTotal`). */
  heapUsed: number;
  heapTotal: number;
  /** Memory outside the V8 heap owned by this isolate's objects (its ArrayBuffers included). */
  external: number;
  /** ArrayBuffers and SharedArrayBuffers (typed arrays: Adam's moments, gradient buffers, …). */
  arrayBuffers: number;
  /**
   * This thread's WebAssembly memory (tfjs-backend-wasm's heap; 0 on other backends): it grows
   * to the largest step's need and never shrinks.
   */
  wasm: number;
}

/** The fields of ThreadMemory in a fixed order (their layout in the helper's shared slots). */
export const THREAD_MEMORY_FIELDS = [
  'heapUsed',
  'heapTotal',
  'external',
  'arrayBuffers',
  'wasm',
] as const satisfies readonly (keyof ThreadMemory)[];

/** The calling thread's figures (a few microseconds: no heap walk). */
export function threadMemory(): ThreadMemory {
  const { heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
  return { heapUsed, heapTotal, external, arrayBuffers, wasm: wasmMemoryBytes() };
}

/** tfjs-backend-wasm's WebAssembly.Memory size in this thread (0 when it is not the backend). */
export function wasmMemoryBytes(): number {
  if (tf.getBackend() !== 'wasm') return 0;
  const backend = tf.backend() as { wasm?: { HEAPU8?: Uint8Array } };
  return backend.wasm?.HEAPU8?.buffer.byteLength ?? 0;
}

/** Writes `m` into `slots` (THREAD_MEMORY_FIELDS order). */
export function writeThreadMemory(m: ThreadMemory, slots: Float64Array): void {
  THREAD_MEMORY_FIELDS.forEach((k, i) => (slots[i] = m[k]));
}

/** Reads what writeThreadMemory wrote; null while nothing was (all zero). */
export function readThreadMemory(slots: Float64Array): ThreadMemory | null {
  if (slots.every((v) => v === 0)) return null;
  const m = {} as ThreadMemory;
  THREAD_MEMORY_FIELDS.forEach((k, i) => (m[k] = slots[i]));
  return m;
}
