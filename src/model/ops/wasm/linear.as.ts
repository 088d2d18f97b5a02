// AssemblyScript: nn.Linear without bias, y = x W^T for W (out, in) as PyTorch stores it, and its
// backward pass: the projections W_q, W_k of additive attention inside its fused kernel
// (additiveKernel.ts chains them with additive.as.ts in one call). Rows of `din` values; a
// multiple of 4 takes f32x4 lanes, others a scalar loop.
import { load4, store4, sum4 } from './lib/lanes.as';

/** y (rows, dout) = x (rows, din) W^T. */
export function linearForward(x: usize, W: usize, y: usize, rows: i32, din: i32, dout: i32): void {
  const row = (<usize>din) << 2;
  const step: usize = din % 4 === 0 ? 16 : 4;
  let out = y;
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * row;
    for (let i = 0; i < dout; i++) {
      const wr = W + <usize>i * row;
      let acc = f32x4.splat(0);
      for (let j: usize = 0; j < row; j += step) {
        acc = f32x4.add(acc, f32x4.mul(load4(xr + j, step), load4(wr + j, step)));
      }
      store<f32>(out, sum4(acc));
      out += 4;
    }
  }
}

/** dx (rows, din) = dy W and dW (dout, din) = dy^T x, for dy (rows, dout). */
export function linearBackward(
  dy: usize,
  x: usize,
  W: usize,
  dx: usize,
  dW: usize,
  rows: i32,
  din: i32,
  dout: i32,
): void {
  const row = (<usize>din) << 2;
  const step: usize = din % 4 === 0 ? 16 : 4;
  memory.fill(dW, 0, <usize>dout * row);
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * row;
    const dxr = dx + <usize>r * row;
    memory.fill(dxr, 0, row);
    for (let i = 0; i < dout; i++) {
      const g = f32x4.splat(load<f32>(dy + ((<usize>(r * dout + i)) << 2)));
      const wr = W + <usize>i * row;
      const dwr = dW + <usize>i * row;
      for (let j: usize = 0; j < row; j += step) {
        store4(dxr + j, f32x4.add(load4(dxr + j, step), f32x4.mul(g, load4(wr + j, step))), step);
        store4(dwr + j, f32x4.add(load4(dwr + j, step), f32x4.mul(g, load4(xr + j, step))), step);
      }
    }
  }
}
