import { tf, Tensor } from '../tf';
import { Tape } from '../tape';
import type { FastPath } from './fastPath';

/**
 * The model's building blocks as tensor ops that optionally record their backward pass on a
 * `Tape` (training step) and are otherwise ordinary, tf-differentiable tfjs ops (inference, the
 * parity tests' tf.variableGrads).
 *
 * Performance notes (wasm backend, tfjs 4.22; see docs/performance.md):
 * - A matMul runs on XNNPACK only when it is 2-D and neither operand is transposed; every
 *   other matMul (transposeA/B, batched) uses a scalar loop that is 5-10x slower. So dense
 *   layers transpose the small (out, in) weight explicitly and multiply plainly, and their
 *   backward pass uses plain 2-D matMuls with explicit transposes too.
 * - Every kernel call costs ~7-15 us of fixed overhead, so fewer, larger ops win.
 */

/**
 * On a tape (the training step), runs `f` in a tf.tidy so that its temporaries are freed at once
 * instead of at the end of the step: fewer live tensors, a smaller working set, better cache
 * reuse (it matters most when two training threads share the caches). Without a tape: just `f`.
 */
function scoped<T extends tf.TensorContainer>(tape: Tape | undefined, f: () => T): T {
  return tape ? tf.tidy(f) : f();
}

/** x (N, in) -> x W^T + b, W (out, in) as PyTorch stores it, b (out) or null. */
export function linear(x: Tensor, W: Tensor, b: Tensor | null, tape?: Tape): Tensor {
  const y = scoped(tape, () => {
    const xw = tf.matMul(x, tf.transpose(W));
    return b ? tf.add(xw, b) : xw;
  });
  if (tape) {
    tape.record([y], ([dy]) => {
      tape.accumulate(x, tf.matMul(dy!, W)); // (N, out) (out, in)
      tape.accumulate(W, weightGrad(x, dy!));
      if (b) tape.accumulate(b, tf.sum(dy!, 0));
    });
  }
  return y;
}

/**
 * dW = dy^T x (out, in) with plain matMuls. XNNPACK packs the right operand anew for every
 * product (it is a fresh activation), so the narrower of x and dy goes on the right: measured on
 * wasm for 640 rows, out 64/in 32: dy^T x 139 us vs (x^T dy)^T 178 us; out 32/in 64: 171 vs 138;
 * but out 201/in 32 (the vocabulary layer): 629 vs 513, transposing the wide dy costs more.
 */
function weightGrad(x: Tensor, dy: Tensor): Tensor {
  const inF = x.shape[1]!;
  const outF = dy.shape[1]!;
  if (outF >= inF && outF <= 2 * inF) return tf.matMul(tf.transpose(dy), x);
  return tf.transpose(tf.matMul(tf.transpose(x), dy));
}

export function reshape(x: Tensor, shape: number[], tape?: Tape): Tensor {
  const y = x.reshape(shape);
  if (tape) tape.record([y], ([dy]) => tape.accumulate(x, dy!.reshape(x.shape)));
  return y;
}

/** a + b, same shapes. */
export function add(a: Tensor, b: Tensor, tape?: Tape): Tensor {
  const y = tf.add(a, b);
  if (tape) {
    tape.record([y], ([dy]) => {
      tape.accumulate(a, dy!);
      tape.accumulate(b, dy!);
    });
  }
  return y;
}

export function relu(x: Tensor, tape?: Tape): Tensor {
  const y = tf.relu(x);
  if (tape) tape.record([y], ([dy]) => tape.accumulate(x, tf.mul(dy!, tf.step(y))));
  return y;
}

/**
 * nn.LayerNorm over the last axis (biased variance). Same arithmetic as tf.moments +
 * normalisation; the backward pass is the closed form
 * dx = rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat)), dxhat = dy * gamma.
 * On a tape with the fast path's fused kernels (wasm): `fusedLayerNorm`.
 */
export function layerNorm(
  x: Tensor,
  gamma: Tensor,
  beta: Tensor,
  eps: number,
  tape?: Tape,
  fast?: FastPath,
) {
  if (tape && fast?.kernels) return fusedLayerNorm(x, gamma, beta, eps, tape, fast);
  const { y, xhat, rstd } = scoped(tape, () => {
    const mean = tf.mean(x, -1, true);
    const xc = tf.sub(x, mean);
    const variance = tf.mean(tf.square(xc), -1, true);
    const rstd = tf.rsqrt(tf.add(variance, eps));
    const xhat = tf.mul(xc, rstd);
    return { y: tf.add(tf.mul(xhat, gamma), beta), xhat, rstd };
  });
  if (tape) {
    tape.record([y], ([dy]) => {
      const lead = Array.from({ length: x.rank - 1 }, (_, i) => i);
      const dxhat = tf.mul(dy!, gamma);
      const m1 = tf.mean(dxhat, -1, true);
      const m2 = tf.mean(tf.mul(dxhat, xhat), -1, true);
      tape.accumulate(x, tf.mul(tf.sub(tf.sub(dxhat, m1), tf.mul(xhat, m2)), rstd));
      tape.accumulate(gamma, tf.sum(tf.mul(dy!, xhat), lead));
      tape.accumulate(beta, tf.sum(dy!, lead));
    });
  }
  return y;
}

/**
 * `layerNorm` on the tape through the fused kernel of ops/wasm/layerNorm.as.ts: one call forward
 * and one backward (mean and 1/std recomputed from x) instead of 9 and 12 tfjs ops, mostly
 * fixed per-call cost at these sizes (docs/performance.md "Fused layer norm").
 */
function fusedLayerNorm(
  x: Tensor,
  gamma: Tensor,
  beta: Tensor,
  eps: number,
  tape: Tape,
  fast: FastPath,
): Tensor {
  const kernel = fast.kernels!.layerNorm;
  const read = (t: Tensor) => fast.read(t) as Float32Array;
  const width = x.shape[x.rank - 1]!;
  const y = tf.tensor(kernel.forward(read(x), read(gamma), read(beta), width, eps), x.shape);
  tape.record([y], ([dy]) => {
    // read() views the backend's heap: all three are read before anything is allocated there
    const g = kernel.backward(read(x), read(gamma), read(dy!), width, eps);
    tape.accumulate(x, tf.tensor(g.dx, x.shape));
    tape.accumulate(gamma, tf.tensor(g.dgamma, gamma.shape));
    tape.accumulate(beta, tf.tensor(g.dbeta, beta.shape));
  });
  return y;
}

/**
 * The book's transpose_qkv: y (B*T, H*dh) -> (B, H, T, dh). One 4-D transpose (wasm's Transpose
 * is fast up to rank 4; a 5-D one, which a fused Q/K/V split needs, takes ~3 ms).
 */
export function splitHeads(y: Tensor, B: number, T: number, H: number, tape?: Tape): Tensor {
  const dh = y.shape[1]! / H;
  const out = tf.transpose(y.reshape([B, T, H, dh]), [0, 2, 1, 3]);
  if (tape) {
    tape.record([out], ([dy]) =>
      tape.accumulate(y, tf.transpose(dy!, [0, 2, 1, 3]).reshape(y.shape)),
    );
  }
  return out;
}

/** The book's transpose_output: (B, H, T, dh) -> (B*T, H*dh). */
export function mergeHeads(x: Tensor, tape?: Tape): Tensor {
  const [B, H, T, dh] = x.shape as [number, number, number, number];
  const y = tf.transpose(x, [0, 2, 1, 3]).reshape([B * T, H * dh]);
  if (tape) {
    tape.record([y], ([dy]) =>
      tape.accumulate(x, tf.transpose(dy!.reshape([B, T, H, dh]), [0, 2, 1, 3])),
    );
  }
  return y;
}
