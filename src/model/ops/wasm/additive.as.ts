// AssemblyScript: the additive attention scores of ops/additiveScores.ts as two fused WebAssembly
// SIMD loops, for the training step on the wasm backend (additiveKernel.ts calls them).
// scripts/buildKernels.mjs compiles every *.as.ts here into one module, kernelsWasm.ts.
//
// Layout (grouped, time-major, as ops/groupedAttention.ts): qh (Q*G, h) and kh (K*G, h), rows
// ordered (step, head), G = batch * heads; w_v (h); scores and dScores (Q, G, K). h is a
// multiple of 4: one f32x4 per 4 features. Every argument is a byte offset into this module's
// memory, which the caller fills.

import { sum4 } from './lib/lanes.as';

const ONE = f32x4.splat(1.0);

/**
 * e^t for t in [-87, 88], four at a time: Cephes' expf (range reduction by ln 2 in two parts, a
 * degree-6 minimax polynomial, within ~1 ulp), the power of two built in the exponent bits.
 */
function exp4(t: v128): v128 {
  const n = f32x4.nearest(f32x4.mul(t, f32x4.splat(1.4426950408889634)));
  let r = f32x4.sub(t, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.1219444e-4)));
  let p = f32x4.splat(1.98756915e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  p = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), ONE);
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(p, scale);
}

/**
 * x -> e^(2x) in place for n values (a multiple of 4), x clamped to [-40, 40]: a feature is then
 * tanh(a + b) = 1 - 2 / (e^2a e^2b + 1), one product and one division instead of an exponential
 * per feature (the exponentials are per projection value, 1 / K and 1 / Q of them). A product
 * beyond float range gives inf or 0, and so tanh = 1 or -1, as it should; the clamp only keeps
 * inf * 0 away (a and b of opposite sign, both beyond 40).
 */
function toExp2x(at: usize, n: i32): void {
  const end = at + ((<usize>n) << 2);
  for (let p = at; p < end; p += 16) {
    const x = f32x4.min(f32x4.max(v128.load(p), f32x4.splat(-40.0)), f32x4.splat(40.0));
    v128.store(p, exp4(f32x4.add(x, x)));
  }
}

/** `toExp2x` of both projections, qh (Q*G, h) and kh (K*G, h). */
function toExp2xBoth(qh: usize, kh: usize, Q: i32, K: i32, G: i32, h: i32): void {
  toExp2x(qh, Q * G * h);
  toExp2x(kh, K * G * h);
}

/** tanh(a + b) from ea = e^2a and eb = e^2b, four at a time. */
function feature4(ea: v128, eb: v128): v128 {
  return f32x4.sub(ONE, f32x4.div(f32x4.splat(2.0), f32x4.add(f32x4.mul(ea, eb), ONE)));
}

/** scores[q, g, k] = w_v . tanh(qh[q, g] + kh[k, g]). Overwrites qh and kh. */
export function additiveScores(
  qh: usize,
  kh: usize,
  wv: usize,
  out: usize,
  Q: i32,
  K: i32,
  G: i32,
  h: i32,
): void {
  const row = (<usize>h) << 2;
  toExp2xBoth(qh, kh, Q, K, G, h);
  for (let qg = 0; qg < Q * G; qg++) {
    const g = qg % G;
    const qRow = qh + <usize>qg * row;
    const o = out + ((<usize>qg * K) << 2);
    for (let k = 0; k < K; k++) {
      const kRow = kh + <usize>(k * G + g) * row;
      let acc = f32x4.splat(0);
      for (let j: usize = 0; j < row; j += 16) {
        const f = feature4(v128.load(qRow + j), v128.load(kRow + j));
        acc = f32x4.add(acc, f32x4.mul(v128.load(wv + j), f));
      }
      store<f32>(o + ((<usize>k) << 2), sum4(acc));
    }
  }
}

/**
 * The backward pass of `scores` for dScores (Q, G, K), the features recomputed:
 * d(qh + kh)[q, g, k] = dScores[q, g, k] w_v (1 - f^2), summed over the keys into dqh (Q*G, h)
 * and over the queries into dkh (K*G, h); dw_v (h) = sum of dScores[q, g, k] f. Overwrites qh
 * and kh.
 */
export function additiveBackward(
  qh: usize,
  kh: usize,
  wv: usize,
  dScores: usize,
  dqh: usize,
  dkh: usize,
  dwv: usize,
  Q: i32,
  K: i32,
  G: i32,
  h: i32,
): void {
  const row = (<usize>h) << 2;
  memory.fill(dkh, 0, <usize>(K * G) * row);
  memory.fill(dwv, 0, row);
  toExp2xBoth(qh, kh, Q, K, G, h);
  for (let qg = 0; qg < Q * G; qg++) {
    const g = qg % G;
    const qRow = qh + <usize>qg * row;
    const dsRow = dScores + ((<usize>qg * K) << 2);
    for (let j: usize = 0; j < row; j += 16) {
      const q = v128.load(qRow + j);
      const w = v128.load(wv + j);
      let dq = f32x4.splat(0);
      let dw = f32x4.splat(0);
      for (let k = 0; k < K; k++) {
        const kAt = <usize>(k * G + g) * row + j;
        const ds = v128.load_splat<f32>(dsRow + ((<usize>k) << 2));
        const f = feature4(q, v128.load(kh + kAt));
        dw = f32x4.add(dw, f32x4.mul(ds, f));
        const dPre = f32x4.mul(f32x4.mul(ds, w), f32x4.sub(ONE, f32x4.mul(f, f)));
        dq = f32x4.add(dq, dPre);
        v128.store(dkh + kAt, f32x4.add(v128.load(dkh + kAt), dPre));
      }
      v128.store(dqh + <usize>qg * row + j, dq);
      v128.store(dwv + j, f32x4.add(v128.load(dwv + j), dw));
    }
  }
}
