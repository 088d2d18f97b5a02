import type { KernelExports, KernelMemory } from './kernels';

/**
 * softmax.as.ts: the attention's masked softmax over the keys and the dropout of its weights in
 * one call, and their backward pass in one more, for ops/groupedAttention.ts. Why: as tfjs ops
 * they were 4 kernel calls forward (mask multiply and add, softmax, dropout) and 6 backward,
 * on (Q, B, H, K) = (10, 32, 4, 10) values per attention call, six calls a step
 * (docs/performance.md "Fused masked softmax").
 */
export interface SoftmaxKernel {
  forward(
    scores: Float32Array,
    mask: KernelMask | null,
    drop: Float32Array | null,
    dims: SoftmaxDims,
  ): { weights: Float32Array; dropped: Float32Array | null };
  backward(
    dDropped: Float32Array,
    drop: Float32Array | null,
    weights: Float32Array,
    mask: KernelMask | null,
    dims: SoftmaxDims,
  ): Float32Array;
}

/**
 * The rows' shape (Q, B, H, K) and the factor without a mask (1/sqrt(d), 1 for additive scores).
 */
export interface SoftmaxDims {
  shape: [number, number, number, number];
  scale: number;
}

/**
 * A prepared mask (ops/maskCache.ts) as values: `scaled`, `fill` of `shape`, which broadcasts to
 * (Q, B, H, K) (1 where it does).
 */
export interface KernelMask {
  scaled: Float32Array;
  fill: Float32Array;
  shape: number[];
}

export function softmaxKernel(wasm: KernelExports, memory: KernelMemory): SoftmaxKernel {
  const { place, putInts, view } = memory;
  return {
    forward(scores, mask, drop, { shape, scale }) {
      const n = scores.length;
      const inputs = [scores, mask?.scaled ?? null, mask?.fill ?? null, drop];
      const [s, scaled, fill, d, weights, dropped, dims] = place(inputs, [n, drop ? n : 0, 7]);
      putInts(dims!, [...shape, ...strides(mask, shape)]);
      wasm.maskedSoftmaxForward(s!, scaled!, fill!, d!, weights!, dropped!, dims!, scale);
      return { weights: view(weights!, n), dropped: drop ? view(dropped!, n) : null };
    },
    backward(dDropped, drop, weights, mask, { shape, scale }) {
      const n = dDropped.length;
      const inputs = [dDropped, drop, weights, mask?.scaled ?? null];
      const [g, d, w, scaled, dScores, dims] = place(inputs, [n, 7]);
      putInts(dims!, [...shape, ...strides(mask, shape)]);
      wasm.maskedSoftmaxBackward(g!, d!, w!, scaled!, dScores!, dims!, scale);
      return view(dScores!, n);
    },
  };
}

/** The mask's strides in values over (q, b, h), 0 where it broadcasts (its rows: K values). */
function strides(mask: KernelMask | null, shape: number[]): [number, number, number] {
  if (!mask) return [0, 0, 0];
  const [mq, mb, mh, mk] = mask.shape as [number, number, number, number];
  if (mask.shape.length !== 4 || mk !== shape[3]) {
    throw new Error(`a mask of shape [${mask.shape}] for scores of shape [${shape}]`);
  }
  return [mq === 1 ? 0 : mb * mh * mk, mb === 1 ? 0 : mh * mk, mh === 1 ? 0 : mk];
}
