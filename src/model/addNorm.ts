import { tf, Tensor } from './tf';
import { ForwardContext, dropout } from './context';
import { ParamStore, constant } from './params';

export const LAYER_NORM_EPS = 1e-5;

/** The book's AddNorm: LayerNorm(dropout(Y) + X), normalised over the hidden axis. */
export class AddNorm {
  readonly weight: tf.Variable;
  readonly bias: tf.Variable;

  constructor(
    store: ParamStore,
    name: string,
    readonly numHiddens: number,
    readonly dropoutRate: number,
  ) {
    this.weight = store.add(`${name}.ln.weight`, [numHiddens], constant(numHiddens, 1));
    this.bias = store.add(`${name}.ln.bias`, [numHiddens], constant(numHiddens, 0));
  }

  /** X, Y (batch, steps, hidden) -> (batch, steps, hidden) */
  apply(X: Tensor, Y: Tensor, ctx: ForwardContext): Tensor {
    return layerNorm(tf.add(dropout(Y, this.dropoutRate, ctx), X), this.weight, this.bias);
  }
}

/** nn.LayerNorm over the last axis: biased variance, eps 1e-5. */
export function layerNorm(x: Tensor, gamma: Tensor, beta: Tensor): Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  const normed = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, LAYER_NORM_EPS)));
  return tf.add(tf.mul(normed, gamma), beta);
}
