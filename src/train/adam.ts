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
    let sq = 0;
    for (let i = 0; i < grads.length; i++) sq += grads[i] * grads[i];
    const norm = Math.sqrt(sq);
    const scale = clip !== undefined && norm > clip ? clip / norm : 1;
    this.steps++;
    const { beta1: b1, beta2: b2, epsilon: eps } = this;
    const bc1 = 1 - Math.pow(b1, this.steps);
    const sqrtBc2 = Math.sqrt(1 - Math.pow(b2, this.steps));
    const stepSize = this.learningRate / bc1;
    let offset = 0;
    tf.tidy(() => {
      for (const variable of vars) {
        const slot = this.slotOf(variable);
        const { m, v, value } = slot;
        for (let i = 0; i < value.length; i++) {
          const g = grads[offset + i] * scale;
          m[i] = b1 * m[i] + (1 - b1) * g;
          v[i] = b2 * v[i] + (1 - b2) * g * g;
          value[i] -= (stepSize * m[i]) / (Math.sqrt(v[i]) / sqrtBc2 + eps);
        }
        offset += value.length;
        // wasm copies the values into its heap; the cpu backend would keep this very array as
        // the tensor's storage, which the next update writes to: give it a copy.
        const values = tf.getBackend() === 'wasm' ? value : value.slice();
        variable.assign(tf.tensor(values, variable.shape, 'float32'));
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
