// AssemblyScript: the attention's batched products over G = batch x heads groups in the grouped
// time-major layout of ops/groupedAttention.ts, where every operand is (steps, G, width) with
// rows of `width` contiguous values (groupProductsKernel.ts calls them). Two shapes of product
// cover all six (scores, output and their gradients), so no operand is transposed first.
import { sum4 } from './lib/lanes.as';

/**
 * c (M, G, N) with c[m, g, n] = x[m, g] . y[n, g] for x (M, G, d), y (N, G, d): the scores
 * Q K^T and the weights' gradient dO V^T.
 */
export function groupDots(x: usize, y: usize, c: usize, M: i32, N: i32, G: i32, d: i32): void {
  const row = (<usize>d) << 2;
  const lanes = d % 4 === 0;
  let out = c;
  for (let m = 0; m < M; m++) {
    for (let g = 0; g < G; g++) {
      const xr = x + <usize>(m * G + g) * row;
      for (let n = 0; n < N; n++) {
        const yr = y + <usize>(n * G + g) * row;
        let dot: f32 = 0;
        if (lanes) {
          let acc = f32x4.splat(0);
          for (let j: usize = 0; j < row; j += 16) {
            acc = f32x4.add(acc, f32x4.mul(v128.load(xr + j), v128.load(yr + j)));
          }
          dot = sum4(acc);
        } else {
          for (let j: usize = 0; j < row; j += 4) dot += load<f32>(xr + j) * load<f32>(yr + j);
        }
        store<f32>(out, dot);
        out += 4;
      }
    }
  }
}

/**
 * c (M, G, d) with c[m, g] = sum over k of w(m, g, k) y[k, g], for y (K, G, d) and w either
 * (M, G, K) or, `transposed`, (K, G, M): the output P V and the gradients dQ = dS K,
 * dK = dS^T Q, dV = P^T dO.
 */
export function groupWeighted(
  w: usize,
  y: usize,
  c: usize,
  M: i32,
  K: i32,
  G: i32,
  d: i32,
  transposed: bool,
): void {
  const row = (<usize>d) << 2;
  const lanes = d % 4 === 0;
  for (let m = 0; m < M; m++) {
    for (let g = 0; g < G; g++) {
      const cr = c + <usize>(m * G + g) * row;
      memory.fill(cr, 0, row);
      for (let k = 0; k < K; k++) {
        const at = transposed ? (k * G + g) * M + m : (m * G + g) * K + k;
        const weight = load<f32>(w + ((<usize>at) << 2));
        const yr = y + <usize>(k * G + g) * row;
        if (lanes) {
          const s = f32x4.splat(weight);
          for (let j: usize = 0; j < row; j += 16) {
            v128.store(cr + j, f32x4.add(v128.load(cr + j), f32x4.mul(s, v128.load(yr + j))));
          }
        } else {
          for (let j: usize = 0; j < row; j += 4) {
            store<f32>(cr + j, load<f32>(cr + j) + weight * load<f32>(yr + j));
          }
        }
      }
    }
  }
}
