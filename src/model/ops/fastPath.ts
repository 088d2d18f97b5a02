import { tf, Tensor } from '../tf';
import { HostBuffers } from './hostBuffers';
import { WasmKernels, loadKernels } from './wasm/kernels';

/**
 * Which of the model's fast paths the current backend allows, decided in this one place from
 * the backend's name (as nanoGPT decides its one `flash` flag once) and read from here by every
 * op. The measurements behind each are in docs/performance.md.
 */
export interface FastPath {
  /** The tfjs backend it was decided for. */
  readonly backend: string;
  /**
   * wasm, cpu: tensor data lives in this thread's memory, so reading it back costs a copy at
   * most, and the training step's embedding is gathered in JavaScript (wasm's GatherV2 takes
   * ~0.5 ms for 640 rows, the JavaScript loop ~30 us; see ops/hostEmbedding.ts).
   */
  readonly hostMemory: boolean;
  /**
   * wasm: the training step runs time-major, with the attention's batched products as grouped
   * XNNPACK convolutions (ops/groupedAttention.ts; a batched matMul takes wasm's scalar loop,
   * 4x slower). Only on the Tape: wasm has no depthwise-convolution gradients for autodiff.
   */
  readonly groupedAttention: boolean;
  /**
   * wasm with SIMD: fused kernels for the training step (ops/wasm/kernels.ts): additive
   * attention's scores, the layer norm, the attention's masked softmax with dropout and its
   * batched products (ops/groupProducts.ts), each one call instead of 3-21 tfjs ops.
   */
  readonly kernels: WasmKernels | null;
  /** Buffers for uploaded values: reused on wasm, which copies uploads into its heap. */
  readonly buffers: HostBuffers;
  /**
   * A tensor's values without a copy where the backend allows it: on wasm a view of its heap
   * (read it at once: the next allocation may move the heap), elsewhere dataSync().
   */
  read(t: Tensor): Float32Array | Int32Array;
}

const decided = new Map<string, FastPath>();

/** The fast paths of the backend named `backend` (one object per name: its buffers persist). */
export function fastPathOf(backend: string): FastPath {
  let fast = decided.get(backend);
  if (!fast) {
    const wasm = backend === 'wasm';
    fast = {
      backend,
      hostMemory: wasm || backend === 'cpu',
      groupedAttention: wasm,
      kernels: wasm ? loadKernels() : null,
      buffers: new HostBuffers(wasm),
      read: wasm ? readHeap : (t) => t.dataSync() as Float32Array | Int32Array,
    };
    decided.set(backend, fast);
  }
  return fast;
}

/** The fast paths of the current tfjs backend. */
export function currentFastPath(): FastPath {
  return fastPathOf(tf.getBackend());
}

/** A tensor's values through the current backend's `read` (see FastPath.read). */
export function hostView(t: Tensor): Float32Array | Int32Array {
  return currentFastPath().read(t);
}

/** wasm's typedArrayFromHeap: a public method of its backend class, not of the tf namespace. */
function readHeap(t: Tensor): Float32Array | Int32Array {
  const backend = tf.backend() as unknown as {
    typedArrayFromHeap?: (t: { shape: number[]; dtype: string; dataId: object }) => Float32Array;
  };
  if (typeof backend.typedArrayFromHeap === 'function') {
    return backend.typedArrayFromHeap({ shape: t.shape, dtype: t.dtype, dataId: t.dataId });
  }
  return t.dataSync() as Float32Array | Int32Array;
}
