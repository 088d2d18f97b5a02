import { tf } from '../model/tf';
import { adamStep, adamUpdate, assignValues, clipScale, gradientNorm } from './adam';

/**
 * The two-thread trainer's Adam (src/train/parallel.ts): BookAdam's update, each thread doing its
 * own share of the parameters. The master values live once, in the shared buffer both threads
 * see; each thread keeps the moments of its share only and writes its share of the values; then
 * both upload all of them. Every value gets exactly BookAdam's arithmetic (the same gradient
 * sum, global norm and clipping, adamUpdate), so the replicas stay bit-identical and a run ends
 * where it did when each thread updated everything itself.
 *
 * Why: with one full BookAdam per thread, the whole corpus's 1.52 M parameters cost each thread
 * its moments and a master copy (18 MB) and a summed-gradient buffer (6 MB); here the two
 * threads hold 12 MB of moments between them and one shared copy of the values, and each thread
 * does half of the update's arithmetic.
 */
export class SplitAdam {
  readonly beta1 = 0.9;
  readonly beta2 = 0.999;
  readonly epsilon = 1e-8;
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  private steps = 0;

  /** `share`: the elements [from, to) of the flat parameter vector this thread updates. */
  constructor(
    readonly learningRate: number,
    readonly share: { from: number; to: number },
  ) {
    this.m = new Float32Array(share.to - share.from);
    this.v = new Float32Array(share.to - share.from);
  }

  /**
   * This thread's share of one clipped update of `values` (every parameter, end to end in
   * variable order) from the gradient a + b (the two replicas' gradients). Returns the global
   * gradient norm before clipping.
   */
  update(values: Float32Array, a: Float32Array, b: Float32Array, clip: number): number {
    const norm = gradientNorm(a, b);
    this.steps++;
    const step = adamStep(this, this.steps, clipScale(norm, clip));
    const { from, to } = this.share;
    adamUpdate(
      step,
      { m: this.m, v: this.v, at: 0 },
      { value: values, at: from },
      a,
      b,
      from,
      to - from,
    );
    return norm;
  }
}

/** Thread `replica`'s share of `numParams` values: the first half (0) or the rest (1). */
export function shareOf(numParams: number, replica: 0 | 1): { from: number; to: number } {
  const half = Math.ceil(numParams / 2);
  return replica === 0 ? { from: 0, to: half } : { from: half, to: numParams };
}

/** Every variable assigned its values from `values` (laid end to end in variable order). */
export function assignFlat(vars: readonly tf.Variable[], values: Float32Array): void {
  const total = vars.reduce((n, v) => n + v.size, 0);
  if (total !== values.length) {
    throw new Error(`${values.length} values for ${total} parameter values`);
  }
  let offset = 0;
  for (const variable of vars) {
    assignValues(variable, values.subarray(offset, offset + variable.size));
    offset += variable.size;
  }
}
