import { tf, Tensor } from '../model/tf';

/**
 * The book's grad_clipping(net, theta): if the global L2 norm of all gradients exceeds theta,
 * scale every gradient by theta / norm. Done as tensor ops (scale = theta / max(norm, theta)),
 * so no value is read back to JavaScript.
 */
export function clipByGlobalNorm(
  grads: Record<string, Tensor>,
  theta: number,
): { grads: Record<string, Tensor>; norm: Tensor } {
  const names = Object.keys(grads);
  const squares = names.map((n) => tf.sum(tf.square(grads[n])));
  const norm = tf.sqrt(squares.length === 1 ? squares[0] : tf.addN(squares));
  const scale = tf.div(theta, tf.maximum(norm, theta));
  const clipped: Record<string, Tensor> = {};
  for (const n of names) clipped[n] = tf.mul(grads[n], scale);
  return { grads: clipped, norm };
}
