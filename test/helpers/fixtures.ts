import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { strict as assert } from 'node:assert';

/** A tensor as the Python reference writes it: shape and row-major data. */
export interface TensorJSON {
  shape: number[];
  data: number[];
}

export function readFixture<T>(name: string): T {
  return JSON.parse(readFileSync(path.join(__dirname, '..', 'fixtures', name), 'utf8')) as T;
}

/** Largest |actual - expected| over the largest |expected|: the relative error in max norm. */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  assert.equal(actual.length, expected.length, 'length');
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return scale === 0 ? diff : diff / scale;
}

export function assertClose(
  actual: ArrayLike<number>,
  expected: TensorJSON | ArrayLike<number>,
  tol: number,
  what: string,
): void {
  const exp =
    'data' in (expected as TensorJSON)
      ? (expected as TensorJSON).data
      : (expected as ArrayLike<number>);
  const err = relativeError(actual, exp);
  assert.ok(err <= tol, `${what}: relative error ${err.toExponential(2)} > ${tol}`);
}
