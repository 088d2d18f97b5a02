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
  const { layout, put, view } = memory;
  return {
    forward(x, gamma, beta, width, eps) {
      const [xAt, g, b, y, scratch] = layout([x.length, width, width, x.length, 4]);
      put(xAt, x);
      put(g, gamma);
      put(b, beta);
      wasm.layerNormForward(xAt, g, b, y, x.length / width, width, eps, scratch);
      return view(y, x.length);
    },
    backward(x, gamma, dy, width, eps) {
      const lengths = [x.length, width, dy.length, x.length, width, width, 4];
      const [xAt, g, dyAt, dx, dg, db, scratch] = layout(lengths);
      put(xAt, x);
      put(g, gamma);
      put(dyAt, dy);
      wasm.layerNormBackward(xAt, g, dyAt, dx, dg, db, x.length / width, width, eps, scratch);
      return { dx: view(dx, x.length), dgamma: view(dg, width), dbeta: view(db, width) };
    },
  };
}
