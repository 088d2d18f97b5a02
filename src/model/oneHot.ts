import { tf, Tensor } from './tf';

/**
 * One-hot rows as float32: ids (n) int32 -> (n, depth). Built as int32 and cast, because the
 * wasm backend's OneHot kernel (tfjs 4.22) writes integer bit patterns when asked for float32.
 */
export function oneHotFloat(ids: Tensor, depth: number): Tensor {
  return tf.cast(tf.oneHot(ids as tf.Tensor1D, depth), 'float32');
}
