/**
 * The one place the model imports TensorFlow.js from. Values and types come from tfjs-core, so
 * nothing outside tfjs-core (layers, converter, data, webgl) can be used by mistake: the
 * bundles leave those packages out (scripts/buildOptions.mjs).
 *
 * `@tensorflow/tfjs` is imported for its side effects only: under CommonJS tfjs-core alone
 * registers no gradients ("gradient function not found for Sum") and no chained ops
 * (`x.reshape`); the union package registers both, and the cpu backend, on the one tfjs-core
 * instance every backend (cpu, wasm, tensorflow) shares.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs';

export { tf };
export type Tensor = tf.Tensor;
