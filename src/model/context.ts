import { tf, Tensor } from './tf';
import { Rng } from '../util/rng';

/**
 * What a forward pass needs besides its inputs: training mode (dropout on, the decoder's causal
 * mask) or inference, and a random stream for dropout masks.
 */
export interface ForwardContext {
  training: boolean;
  rng?: Rng;
}

/** nn.Dropout: active only in training, scales kept units by 1 / (1 - rate). */
export function dropout(x: Tensor, rate: number, ctx: ForwardContext): Tensor {
  if (!ctx.training || rate === 0) return x;
  const seed = ctx.rng ? ctx.rng.seed() : undefined;
  return tf.dropout(x, rate, undefined, seed);
}
