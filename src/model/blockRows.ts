import { Tensor } from './tf';
import { ForwardContext, ForwardPass } from './context';
import { reshape } from './ops/taped';

/**
 * The wiring the encoder and decoder blocks share. Each sub-layer (attention, FFN) joins its
 * input through the book's AddNorm, LayerNorm(dropout(sublayer(X)) + X) — the annotated
 * transformer's SublayerConnection, post-norm as the book has it — and all of them run on the
 * block's input as 2-D rows (batch*steps, hidden), so that every dense layer is one plain 2-D
 * matMul (the only kind XNNPACK runs on wasm, 5-10x faster than the rest; docs/performance.md).
 */

/**
 * Runs a block's `body` on X (batch, steps, hidden) — (steps, batch, hidden) in the time-major
 * layout — as rows (batch*steps, hidden), with the block's pass, which tells attention and
 * dropout the rows' batch and steps; the body's output rows come back in X's shape.
 */
export function onRows<R extends { output: Tensor }>(
  X: Tensor,
  ctx: ForwardContext,
  body: (rows: Tensor, pass: ForwardPass) => R,
): R {
  const outer = ForwardPass.of(ctx);
  const [batch, steps] = outer.batchAndSteps(X);
  const pass = outer.inBlock(batch, steps);
  const result = body(reshape(X, [batch * steps, X.shape[2]!], pass.tape), pass);
  return { ...result, output: reshape(result.output, X.shape, pass.tape) };
}

/** Another (batch, steps, hidden) input of a block (keys and values) as rows like X's. */
export function asRows(t: Tensor, pass: ForwardPass): Tensor {
  const [batch, steps] = pass.batchAndSteps(t);
  return reshape(t, [batch * steps, t.shape[2]!], pass.tape);
}
