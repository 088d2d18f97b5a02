/**
 * Where the JavaScript-side ops (dropout masks, the training step's embedding) put the values
 * they upload. The wasm backend copies uploaded values into its heap, so there one buffer per
 * slot and size is reused from call to call: a training step draws ~400k dropout-mask values,
 * and fresh arrays for them were most of the garbage, and of the resident-memory sawtooth, of a
 * training run (retained growth over 200 epochs 60 -> 7 MB, docs/performance.md item 14).
 * Elsewhere every call gets a fresh array: the cpu backend keeps an uploaded array as the
 * tensor's storage.
 *
 * The slot says how long a buffer's contents must live, which keeps apart two users that need
 * buffers of one size at the same time.
 */
export type BufferSlot =
  /** Handed to tf.tensor at once: free again as soon as the upload returns. */
  | 'upload'
  /** A dropout mask drawn in batch-major order, read while it is laid out in an 'upload'. */
  | 'draw'
  /** The encoder's embedding dropout mask, read again by the backward pass. */
  | 'encoderEmbeddingMask'
  /** The decoder's (the same size as the encoder's when source and target lengths agree). */
  | 'decoderEmbeddingMask';

/** The slots of the embedding masks that a backward pass reads again. */
export type EmbeddingMaskSlot = 'encoderEmbeddingMask' | 'decoderEmbeddingMask';

export class HostBuffers {
  private readonly pool = new Map<BufferSlot, Map<number, Float32Array>>();

  /** `reuse`: whether uploads copy (wasm), so that a buffer may be filled again afterwards. */
  constructor(readonly reuse: boolean) {}

  /** A Float32Array of `size` for `slot`: the slot's own on wasm (old contents), else fresh. */
  get(slot: BufferSlot, size: number): Float32Array {
    if (!this.reuse) return new Float32Array(size);
    let bySize = this.pool.get(slot);
    if (!bySize) {
      bySize = new Map();
      this.pool.set(slot, bySize);
    }
    let buffer = bySize.get(size);
    if (!buffer) {
      buffer = new Float32Array(size);
      bySize.set(size, buffer);
    }
    return buffer;
  }
}
