import { tf } from './tf';

/**
 * tf.tidy for any result shape: disposes every tensor created inside `fn` except those reachable
 * from what it returns (through arrays and plain objects). tf.tidy itself only accepts results
 * made of tensors alone.
 */
export function tidyKeep<T>(fn: () => T): T {
  let result!: T;
  tf.tidy(() => {
    result = fn();
    for (const t of tensorsIn(result)) tf.keep(t);
  });
  return result;
}

function* tensorsIn(value: unknown, seen = new Set<unknown>()): Generator<tf.Tensor> {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if (value instanceof tf.Tensor) {
    yield value;
  } else if (Array.isArray(value)) {
    for (const v of value) yield* tensorsIn(v, seen);
  } else if (Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value)) yield* tensorsIn(v, seen);
  }
}
