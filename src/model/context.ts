import { Tensor } from './tf';
import { Rng } from '../util/rng';
import { Tape } from './tape';
import { dropoutOp } from './ops/dropout';

/**
 * What a forward pass needs besides its inputs: training mode (dropout on, the decoder's causal
 * mask) or inference, a random stream for dropout masks, and optionally a `Tape` on which the
 * ops record their backward pass (the training step's fast gradient path).
 */
export interface ForwardContext {
  training: boolean;
  rng?: Rng;
  tape?: Tape;
  /**
   * The training step's layout on wasm (set by tapeGradients, only with a tape): activations
   * are (steps, batch, hidden) and 2-D rows are ordered step-major, which saves the attention
   * most of its transposes (see groupedAttention). Encoder outputs and logits come back
   * (steps, batch, ·). Dropout masks are the same as in the batch-major layout.
   */
  timeMajor?: boolean;
  /** Set by blocks for their sub-layers in the time-major layout: the rows' batch and steps. */
  rows?: { batch: number; steps: number };
}

/** A fresh dropout seed from the context's stream (or Math.random without one). */
export function dropoutSeed(ctx: ForwardContext): number {
  return ctx.rng ? ctx.rng.seed() : Math.floor(Math.random() * 0x7fffffff);
}

/** nn.Dropout: active only in training, scales kept units by 1 / (1 - rate). */
export function dropout(x: Tensor, rate: number, ctx: ForwardContext): Tensor {
  const rows = ctx.timeMajor ? ctx.rows : undefined;
  return dropoutOp(x, rate, ctx.training, () => dropoutSeed(ctx), ctx.tape, rows);
}

/** (batch, steps) of a block's input in either layout. */
export function batchAndSteps(X: Tensor, ctx: ForwardContext): [number, number] {
  return ctx.timeMajor ? [X.shape[1]!, X.shape[0]!] : [X.shape[0]!, X.shape[1]!];
}
