// AssemblyScript: nn.LayerNorm over the last axis (ops/taped.ts `layerNorm`) and its backward
// pass as one loop each, for the training step on the wasm backend (layerNormKernel.ts calls
// them). x, y, dy, dx: (rows, width) row-major; gamma, beta, dgamma, dbeta: (width). Every
// argument is a byte offset into this module's memory, which the caller fills. Rows of a
// multiple of 4 (the book's widths) take f32x4 lanes, others a scalar loop.
import { load4, store4, sum4 } from './lib/lanes.as';

/**
 * The row's mean and 1 / sqrt(biased variance + eps), as two f64 in `stats`. The sums are of
 * x - x[0], not of x, so a row far from zero mean (x ~ 100, spread ~ 1) keeps its precision
 * (shifted data: the differences are exact where the values are close, and small).
 */
function rowStats(x: usize, width: i32, eps: f64, stats: usize): void {
  const row = (<usize>width) << 2;
  const first = load<f32>(x);
  let mean: f32;
  let squares: f32 = 0;
  if (width % 4 === 0) {
    const shift = f32x4.splat(first);
    let sum = f32x4.splat(0);
    for (let j: usize = 0; j < row; j += 16) {
      sum = f32x4.add(sum, f32x4.sub(v128.load(x + j), shift));
    }
    mean = first + sum4(sum) / <f32>width;
    const m = f32x4.splat(mean);
    let sq = f32x4.splat(0);
    for (let j: usize = 0; j < row; j += 16) {
      const c = f32x4.sub(v128.load(x + j), m);
      sq = f32x4.add(sq, f32x4.mul(c, c));
    }
    squares = sum4(sq);
  } else {
    let sum: f32 = 0;
    for (let j: usize = 0; j < row; j += 4) sum += load<f32>(x + j) - first;
    mean = first + sum / <f32>width;
    for (let j: usize = 0; j < row; j += 4) {
      const c = load<f32>(x + j) - mean;
      squares += c * c;
    }
  }
  store<f64>(stats, <f64>mean);
  store<f64>(stats, 1 / Math.sqrt(<f64>squares / width + eps), 8);
}

/** y = (x - mean) rstd gamma + beta, row by row. `scratch`: 16 bytes. */
export function layerNormForward(
  x: usize,
  gamma: usize,
  beta: usize,
  y: usize,
  rows: i32,
  width: i32,
  eps: f64,
  scratch: usize,
): void {
  const row = (<usize>width) << 2;
  const step: usize = width % 4 === 0 ? 16 : 4;
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * row;
    const yr = y + <usize>r * row;
    rowStats(xr, width, eps, scratch);
    const mean = f32x4.splat(<f32>load<f64>(scratch));
    const rstd = f32x4.splat(<f32>load<f64>(scratch, 8));
    for (let j: usize = 0; j < row; j += step) {
      const xhat = f32x4.mul(f32x4.sub(load4(xr + j, step), mean), rstd);
      store4(
        yr + j,
        f32x4.add(f32x4.mul(xhat, load4(gamma + j, step)), load4(beta + j, step)),
        step,
      );
    }
  }
}

/**
 * The closed form dx = rstd (dxhat - mean(dxhat) - xhat mean(dxhat xhat)), dxhat = dy gamma;
 * dgamma = sum over rows of dy xhat, dbeta = sum of dy (mean and rstd recomputed from x).
 * `scratch`: 16 bytes.
 */
export function layerNormBackward(
  x: usize,
  gamma: usize,
  dy: usize,
  dx: usize,
  dgamma: usize,
  dbeta: usize,
  rows: i32,
  width: i32,
  eps: f64,
  scratch: usize,
): void {
  const row = (<usize>width) << 2;
  const step: usize = width % 4 === 0 ? 16 : 4;
  memory.fill(dgamma, 0, row);
  memory.fill(dbeta, 0, row);
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * row;
    const dyr = dy + <usize>r * row;
    rowStats(xr, width, eps, scratch);
    const mean = f32x4.splat(<f32>load<f64>(scratch));
    const rstd = f32x4.splat(<f32>load<f64>(scratch, 8));
    let m1 = f32x4.splat(0);
    let m2 = f32x4.splat(0);
    for (let j: usize = 0; j < row; j += step) {
      const xhat = f32x4.mul(f32x4.sub(load4(xr + j, step), mean), rstd);
      const g = load4(dyr + j, step);
      const dxhat = f32x4.mul(g, load4(gamma + j, step));
      m1 = f32x4.add(m1, dxhat);
      m2 = f32x4.add(m2, f32x4.mul(dxhat, xhat));
      store4(dgamma + j, f32x4.add(load4(dgamma + j, step), f32x4.mul(g, xhat)), step);
      store4(dbeta + j, f32x4.add(load4(dbeta + j, step), g), step);
    }
    const mean1 = f32x4.splat(sum4(m1) / <f32>width);
    const mean2 = f32x4.splat(sum4(m2) / <f32>width);
    const dxr = dx + <usize>r * row;
    for (let j: usize = 0; j < row; j += step) {
      const xhat = f32x4.mul(f32x4.sub(load4(xr + j, step), mean), rstd);
      const dxhat = f32x4.mul(load4(dyr + j, step), load4(gamma + j, step));
      const d = f32x4.sub(f32x4.sub(dxhat, mean1), f32x4.mul(xhat, mean2));
      store4(dxr + j, f32x4.mul(rstd, d), step);
    }
  }
}
