import { tf, Tensor } from './tf';
import { Tape } from './tape';
import { prepareMask } from './ops/maskCache';
import { currentFastPath } from './ops/fastPath';
import { dropoutMask, maskTensor, permutedMask } from './ops/dropout';
import { EmbeddingMaskSlot } from './ops/hostBuffers';

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
 */
export function layerNorm(x: Tensor, gamma: Tensor, beta: Tensor, eps: number, tape?: Tape) {
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

/**
 * Scaled dot-product attention, queries (B, H, Q, d), keys (B, H, K, d), values (B, H, K, v);
 * mask (broadcasting to (B, H, Q, K)) or null. Returns the output (B, H, Q, v) and the weights
 * before dropout (B, H, Q, K), as the book stores them.
 */
export function scaledDotProductAttention(
  q: Tensor,
  k: Tensor,
  v: Tensor,
  mask: Tensor | null,
  dropoutRate: number,
  training: boolean,
  seed: () => number,
  tape?: Tape,
): { output: Tensor; weights: Tensor } {
  const scale = Math.fround(1 / Math.sqrt(q.shape[q.rank - 1]!));
  const scores = tf.matMul(q, k, false, true); // (B, H, Q, K)
  let masked: Tensor;
  let gradScale: Tensor | number;
  if (mask) {
    const m = prepareMask(mask, scale, 'bhqk');
    masked = tf.add(tf.mul(scores, m.scaled), m.fill);
    gradScale = m.scaled;
  } else {
    masked = tf.mul(scores, scale);
    gradScale = scale;
  }
  const weights = tf.softmax(masked, -1);
  let dropMask: Tensor | null = null;
  let dropped = weights;
  if (training && dropoutRate > 0) {
    dropMask = maskTensor(weights.shape, dropoutRate, seed());
    dropped = tf.mul(weights, dropMask);
  }
  const output = tf.matMul(dropped, v);
  if (tape) {
    tape.record([output], ([dO]) => {
      tape.accumulate(v, tf.matMul(dropped, dO!, true, false));
      let dW = tf.matMul(dO!, v, false, true);
      if (dropMask) dW = tf.mul(dW, dropMask);
      const dMasked = tf.mul(weights, tf.sub(dW, tf.sum(tf.mul(dW, weights), -1, true)));
      const dScores = tf.mul(dMasked, gradScale);
      tape.accumulate(q, tf.matMul(dScores, k));
      tape.accumulate(k, tf.matMul(dScores, q, true, false));
    });
  }
  return { output, weights };
}

/**
 * The training step's embedding layer in one op: dropout(table[ids] * scale + positions), with
 * ids (B, T) int32, `positions` the (T, hidden) rows of the positional table. Records a backward
 * pass that scatter-adds into the table's gradient.
 *
 * On the wasm and cpu backends the rows are gathered, scaled and shifted in JavaScript (wasm's
 * GatherV2 takes ~0.5 ms for 640 rows; this ~30 us), with the same float32 arithmetic as the
 * tensor ops; elsewhere it is a gather with a one-hot matMul as its gradient.
 */
export function embedWithPositions(
  table: Tensor,
  ids: Tensor,
  scale: number,
  positions: Float32Array,
  dropoutRate: number,
  seed: () => number,
  tape: Tape,
  maskSlot: EmbeddingMaskSlot,
  timeMajor = false,
): Tensor {
  const [V, d] = table.shape as [number, number];
  const [B, T] = ids.shape as [number, number];
  const n = B * T;
  const s = Math.fround(scale);
  const fast = currentFastPath();
  // The backward pass reads the mask again: this call site's own slot (see BufferSlot).
  const mask =
    dropoutRate > 0
      ? dropoutMask(n * d, dropoutRate, seed(), fast.buffers.get(maskSlot, n * d))
      : null;
  if (!fast.hostMemory) {
    const flat = ids.reshape([-1]);
    const rows = tf.add(
      tf.mul(tf.gather(table, flat), s),
      tf.tensor(positions, [1, T, d]).reshape([T, d]).tile([B, 1]),
    );
    const maskT = mask ? tf.tensor(mask, [n, d]) : null;
    const y = (maskT ? tf.mul(rows, maskT) : rows).reshape([B, T, d]);
    tape.record([y], ([dy]) => {
      let g = tf.mul(dy!.reshape([n, d]), s);
      if (maskT) g = tf.mul(g, maskT);
      const oneHotT = tf.cast(tf.oneHot(flat as tf.Tensor1D, V), 'float32');
      tape.accumulate(table, tf.matMul(tf.transpose(oneHotT), g));
    });
    return y;
  }
  const idv = Int32Array.from(fast.read(ids)); // kept for the backward pass
  const tab = fast.read(table);
  const out = fast.buffers.get('upload', n * d);
  // Row i = b*T + t of the batch-major layout (and of the mask) goes to out row `at(i)`.
  const at = timeMajor
    ? (i: number) => ((i % T) * B + Math.floor(i / T)) * d
    : (i: number) => i * d;
  for (let i = 0; i < n; i++) {
    const row = idv[i] * d;
    const pos = (i % T) * d;
    const o = at(i);
    const mo = i * d;
    for (let j = 0; j < d; j++) {
      const v = Math.fround(Math.fround(tab[row + j] * s) + positions[pos + j]);
      out[o + j] = mask ? v * mask[mo + j] : v;
    }
  }
  const y = tf.tensor(out, timeMajor ? [T, B, d] : [B, T, d], 'float32');
  tape.record([y], ([dy]) => {
    const g = fast.read(dy!);
    const acc = new Float64Array(V * d);
    for (let i = 0; i < n; i++) {
      const row = idv[i] * d;
      const o = at(i);
      const mo = i * d;
      if (mask) for (let j = 0; j < d; j++) acc[row + j] += g[o + j] * mask[mo + j] * s;
      else for (let j = 0; j < d; j++) acc[row + j] += g[o + j] * s;
    }
    const grad = fast.buffers.get('upload', V * d);
    grad.set(acc);
    tape.accumulate(table, tf.tensor(grad, [V, d], 'float32'));
  });
  return y;
}

/**
 * C[g] = A[g] B[g] for G independent small matrices, a (M, K, G) and b (K, G, N) -> (M, G, N),
 * computed as one depthwise convolution: input (1, M, K, G) with a (1, K, G, N) filter, channel
 * multiplier N. On wasm that runs on XNNPACK (~55 us for the attention's 256 groups of 10x8x10);
 * a batched tf.matMul there takes the scalar fallback (~200 us).
 */
export function groupMatMul(a: Tensor, b: Tensor): Tensor {
  const [M, K, G] = a.shape as [number, number, number];
  const N = b.shape[2]!;
  const out = tf.depthwiseConv2d(
    a.reshape([1, M, K, G]) as tf.Tensor4D,
    b.reshape([1, K, G, N]) as tf.Tensor4D,
    1,
    'valid',
  );
  return out.reshape([M, G, N]);
}

/**
 * Multi-head scaled dot-product attention from the projections, for the training step on wasm
 * in the time-major layout: yq (Q*B, H*d), yk and yv (K*B, H*d), rows ordered (step, batch) ->
 * the heads' merged output (Q*B, H*d), same row order, and the weights (B, H, Q, K). Same
 * arithmetic as splitHeads + scaledDotProductAttention + mergeHeads, but every batched product
 * is a groupMatMul over the G = B*H heads. In this layout the projections already are the
 * (steps, G, d) operands several products need, so a forward and backward pass take 9
 * transposes (the batch-major layout needs 15, the batched-matMul path 8 plus four times the
 * matMul time).
 */
export function groupedAttention(
  yq: Tensor,
  yk: Tensor,
  yv: Tensor,
  B: number,
  Q: number,
  K: number,
  H: number,
  mask: Tensor | null,
  dropoutRate: number,
  training: boolean,
  seed: () => number,
  tape: Tape,
): { output: Tensor; weights: Tensor } {
  const D = yq.shape[1]!;
  const d = D / H;
  const G = B * H;
  const scale = Math.fround(1 / Math.sqrt(d));
  const q3 = yq.reshape([Q, G, d]);
  const k3 = yk.reshape([K, G, d]);
  const v3 = yv.reshape([K, G, d]);
  const m = mask ? prepareMask(mask, scale, 'qbhk') : null;
  const gradScale: Tensor | number = m ? m.scaled : scale;
  const weights = tf.tidy(() => {
    // scores (Q, G, K) = per head Q K^T
    const scores = groupMatMul(tf.transpose(q3, [0, 2, 1]), tf.transpose(k3, [2, 1, 0]));
    const s4 = scores.reshape([Q, B, H, K]);
    const masked = m ? tf.add(tf.mul(s4, m.scaled), m.fill) : tf.mul(s4, scale);
    return tf.softmax(masked, -1); // (Q, B, H, K)
  });
  // The mask the public path draws for (B, H, Q, K), laid out (Q, B, H, K): same masks, same run.
  const dropMask =
    training && dropoutRate > 0 ? permutedMask(B, H, Q, K, dropoutRate, seed()) : null;
  const dropped = (dropMask ? tf.mul(weights, dropMask) : weights).reshape([Q, G, K]);
  // O = P V: V is already the (K, G, d) filter and O comes out in the rows' order.
  const output = groupMatMul(tf.transpose(dropped, [0, 2, 1]), v3).reshape([Q * B, D]);
  tape.record([output], ([dy]) => {
    const dO = dy!.reshape([Q, G, d]);
    // dV = P^T dO: dO is already the (Q, G, d) filter
    tape.accumulate(yv, groupMatMul(tf.transpose(dropped, [2, 0, 1]), dO).reshape([K * B, D]));
    // dP = dO V^T
    let dW = groupMatMul(tf.transpose(dO, [0, 2, 1]), tf.transpose(v3, [2, 1, 0])).reshape([
      Q,
      B,
      H,
      K,
    ]);
    if (dropMask) dW = tf.mul(dW, dropMask);
    const dMasked = tf.mul(weights, tf.sub(dW, tf.sum(tf.mul(dW, weights), -1, true)));
    const dScores = tf.mul(dMasked, gradScale).reshape([Q, G, K]);
    // dQ = dS K, dK = dS^T Q: K and Q are already the filters
    tape.accumulate(yq, groupMatMul(tf.transpose(dScores, [0, 2, 1]), k3).reshape([Q * B, D]));
    tape.accumulate(yk, groupMatMul(tf.transpose(dScores, [2, 0, 1]), q3).reshape([K * B, D]));
  });
  return { output, weights: tf.transpose(weights, [1, 2, 0, 3]) };
}
