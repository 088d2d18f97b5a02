import { tf } from '../model/tf';
import { hostView } from '../model/ops/fastPath';

/**
 * torch.optim.Adam (betas 0.9/0.999, eps 1e-8, no weight decay) with the book's grad_clipping
 * folded in, computed in JavaScript on flat Float32Arrays.
 *
 * tf.train.adam issues ~12 kernels per variable per step (~750 for this model, ~9 ms on wasm);
 * here the moments and a master copy of each parameter live in JavaScript, one update is a loop
 * over ~60k floats (well under 1 ms) plus one upload per variable. The update is deterministic
 * JavaScript arithmetic, so two workers that apply the same summed gradient stay bit-identical.
 *
 * It is a tf.Optimizer, so it also works through `applyGradients` (without clipping there).
 */
export class BookAdam extends tf.Optimizer {
  static get className(): string {
    return 'BookAdam';
  }

  /**
   * tf.Optimizer answers `instanceof` by duck typing (any optimizer passes); BookAdam's own check
   * is the ordinary prototype-chain one, so that trainStep can tell it from tf.train.adam.
   */
  static [Symbol.hasInstance](instance: unknown): boolean {
    return (
      typeof instance === 'object' &&
      instance !== null &&
      Object.prototype.isPrototypeOf.call(BookAdam.prototype, instance)
    );
  }

  private readonly slots = new Map<
    string,
    { m: Float32Array; v: Float32Array; value: Float32Array; dataId: unknown }
  >();
  private steps = 0;

  constructor(
    readonly learningRate: number,
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
    readonly epsilon = 1e-8,
  ) {
    super();
  }

  /** A scratch buffer of `size` floats for gradients, reused from step to step. */
  gradientBuffer(size: number): Float32Array {
    if (this.scratch?.length !== size) this.scratch = new Float32Array(size);
    return this.scratch;
  }

  private scratch: Float32Array | null = null;

  /** Number of updates applied. */
  get stepCount(): number {
    return this.steps;
  }

  /**
   * One update of `vars` from their gradients laid end to end in `grads` (variable order, each
   * row-major). With `clip`, gradients are first scaled by clip / max(norm, clip) (the book's
   * grad_clipping over all parameters). Returns the global gradient norm before clipping.
   */
  applyFlat(vars: tf.Variable[], grads: Float32Array, clip?: number): number {
    const norm = gradientNorm(grads, null);
    this.steps++;
    const step = adamStep(this, this.steps, clipScale(norm, clip));
    let offset = 0;
    tf.tidy(() => {
      for (const variable of vars) {
        const slot = this.slotOf(variable);
        const { m, v, value } = slot;
        adamUpdate(step, { m, v, at: 0 }, { value, at: 0 }, grads, null, offset, value.length);
        offset += value.length;
        assignValues(variable, value);
        slot.dataId = variable.dataId;
      }
    });
    if (offset !== grads.length) {
      throw new Error(`${grads.length} gradient values for ${offset} parameter values`);
    }
    return norm;
  }

  /** tf.Optimizer's entry point: gradients by variable name (no clipping). */
  applyGradients(
    variableGradients: tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[],
  ): void {
    const named = Array.isArray(variableGradients)
      ? variableGradients.map((g) => [g.name, g.tensor] as const)
      : Object.entries(variableGradients);
    const vars = named.map(([name]) => {
      const v = tf.engine().registeredVariables[name];
      if (!v) throw new Error(`No variable named ${name}`);
      return v;
    });
    this.applyFlat(vars, readFlat(named.map(([, g]) => g)));
  }

  getConfig(): tf.serialization.ConfigDict {
    return {
      learningRate: this.learningRate,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
    };
  }

  dispose(): void {
    this.slots.clear();
  }

  /** Moments and master values of a variable; re-read if someone else assigned it since. */
  private slotOf(variable: tf.Variable) {
    let slot = this.slots.get(variable.name);
    if (!slot) {
      slot = {
        m: new Float32Array(variable.size),
        v: new Float32Array(variable.size),
        value: Float32Array.from(variable.dataSync() as Float32Array),
        dataId: variable.dataId,
      };
      this.slots.set(variable.name, slot);
    } else if (slot.dataId !== variable.dataId) {
      slot.value = Float32Array.from(variable.dataSync() as Float32Array);
    }
    return slot;
  }
}

/** Adam's hyperparameters and the constants of one step. */
export interface AdamStep {
  beta1: number;
  beta2: number;
  epsilon: number;
  /** learningRate / (1 - beta1^t). */
  stepSize: number;
  /** sqrt(1 - beta2^t). */
  sqrtBc2: number;
  /** The clipping factor of every gradient value (1: not clipped). */
  scale: number;
}

/** The constants of update number `t` (1, 2, …). */
export function adamStep(
  h: { learningRate: number; beta1: number; beta2: number; epsilon: number },
  t: number,
  scale: number,
): AdamStep {
  const { beta1, beta2, epsilon } = h;
  const bc1 = 1 - Math.pow(beta1, t);
  const sqrtBc2 = Math.sqrt(1 - Math.pow(beta2, t));
  return { beta1, beta2, epsilon, stepSize: h.learningRate / bc1, sqrtBc2, scale };
}

/** The book's grad_clipping factor: clip / norm where the norm exceeds it, else 1. */
export function clipScale(norm: number, clip: number | undefined): number {
  return clip !== undefined && norm > clip ? clip / norm : 1;
}

/**
 * The global L2 norm of the gradient `a` (or of a + b, each sum rounded to float32 as a
 * Float32Array holding it would be), summed in index order.
 */
export function gradientNorm(a: Float32Array, b: Float32Array | null): number {
  let sq = 0;
  if (b) {
    for (let i = 0; i < a.length; i++) {
      const g = Math.fround(a[i] + b[i]);
      sq += g * g;
    }
  } else {
    for (let i = 0; i < a.length; i++) sq += a[i] * a[i];
  }
  return Math.sqrt(sq);
}

/**
 * One Adam update of `n` values, torch.optim.Adam's arithmetic in float32 storage: value
 * `p.value[p.at + i]`, its moments `s.m[s.at + i]`, `s.v[s.at + i]`, its gradient
 * `a[g + i]` (or `a[g + i] + b[g + i]` rounded to float32: the two threads' sum) times the
 * clipping scale. BookAdam and the two-thread SplitAdam both update through here, so that their
 * values agree to the last bit.
 */
export function adamUpdate(
  step: AdamStep,
  s: { m: Float32Array; v: Float32Array; at: number },
  p: { value: Float32Array; at: number },
  a: Float32Array,
  b: Float32Array | null,
  g: number,
  n: number,
): void {
  const { beta1: b1, beta2: b2, epsilon: eps, stepSize, sqrtBc2, scale } = step;
  const { m, v } = s;
  const value = p.value;
  for (let i = 0; i < n; i++) {
    const grad = (b ? Math.fround(a[g + i] + b[g + i]) : a[g + i]) * scale;
    const k = s.at + i;
    m[k] = b1 * m[k] + (1 - b1) * grad;
    v[k] = b2 * v[k] + (1 - b2) * grad * grad;
    value[p.at + i] -= (stepSize * m[k]) / (Math.sqrt(v[k]) / sqrtBc2 + eps);
  }
}

/** `variable` assigned the float32 values `values` (its size, row-major). */
export function assignValues(variable: tf.Variable, values: Float32Array): void {
  // wasm copies the values into its heap; the cpu backend would keep this very array as the
  // tensor's storage, which the next update writes to: give it a copy.
  const copy = tf.getBackend() === 'wasm' ? values : values.slice();
  const t = tf.tensor(copy, variable.shape, 'float32');
  variable.assign(t);
  t.dispose();
}

/** Tensors' values laid end to end (synchronous reads: a copy on the wasm and cpu backends). */
export function readFlat(tensors: readonly tf.Tensor[], out?: Float32Array): Float32Array {
  const total = tensors.reduce((n, t) => n + t.size, 0);
  const flat = out ?? new Float32Array(total);
  if (flat.length !== total) throw new Error(`buffer of ${flat.length} for ${total} values`);
  let offset = 0;
  for (const t of tensors) {
    flat.set(hostView(t), offset);
    offset += t.size;
  }
  return flat;
}
