/**
 * The one place the model imports TensorFlow.js from. `@tensorflow/tfjs` (not tfjs-core alone)
 * registers the gradients the training step needs, and keeps one tfjs-core instance for every
 * backend (cpu, wasm, tensorflow).
 */
import * as tf from '@tensorflow/tfjs';

export { tf };
export type Tensor = tf.Tensor;
