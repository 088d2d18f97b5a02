import type { KernelExports, KernelMemory } from './kernels';

/**
 * layerNorm.as.ts: nn.LayerNorm over the last axis of x (rows, width) and its backward pass,
 * one call each. Why: as tfjs ops a layer norm took 9 kernel calls forward and 12 backward,
 * mostly fixed per-call cost on these small tensors (320 rows of 32): 3.1 ms of a 21 ms step
 * of 32 rows for the default model's 10 layer norms, timed in place (docs/performance.md).
 */
export interface LayerNormKernel {
  forward(
    x: Float32Array,
    gamma: Float32Array,
    beta: Float32Array,
    width: number,
    eps: number,
  ): Float32Array;
  backward(
    x: Float32Array,
    gamma: Float32Array,
    dy: Float32Array,
    width: number,
    eps: number,
  ): { dx: Float32Array; dgamma: Float32Array; dbeta: Float32Array };
}

export function layerNormKernel(wasm: KernelExports, memory: KernelMemory): LayerNormKernel {
  const { place, view } = memory;
  return {
    forward(x, gamma, beta, width, eps) {
      const [xAt, g, b, y, scratch] = place([x, gamma, beta], [x.length, 4]);
      wasm.layerNormForward(xAt!, g!, b!, y!, x.length / width, width, eps, scratch!);
      return view(y!, x.length);
    },
    backward(x, gamma, dy, width, eps) {
      // x, gamma, dy, then dx, dgamma, dbeta and the scratch
      const o = place([x, gamma, dy], [x.length, width, width, 4]);
      wasm.layerNormBackward(...o.slice(0, 6), x.length / width, width, eps, o[6]!);
      return { dx: view(o[3]!, x.length), dgamma: view(o[4]!, width), dbeta: view(o[5]!, width) };
    },
  };
}
