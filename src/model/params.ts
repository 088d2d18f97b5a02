import { tf } from './tf';
import { Rng } from '../util/rng';

/**
 * All trainable variables of a model, by the names PyTorch's `state_dict()` gives the book's
 * modules (`encoder.blks.block0.attention.W_q.weight`, …), so that weights move between the two
 * as they are. Dense weights keep PyTorch's (out, in) layout.
 */
export class ParamStore {
  private readonly vars = new Map<string, tf.Variable>();

  constructor(readonly rng: Rng) {}

  add(name: string, shape: number[], values: Float32Array): tf.Variable {
    if (this.vars.has(name)) {
      throw new Error(`Parameter ${name} is defined twice`);
    }
    const initial = tf.tensor(values, shape, 'float32');
    const v = tf.variable(initial, true, `${name}#${nextId++}`); // copies: dispose the original
    initial.dispose();
    this.vars.set(name, v);
    return v;
  }

  get(name: string): tf.Variable {
    const v = this.vars.get(name);
    if (!v) throw new Error(`No parameter named ${name}`);
    return v;
  }

  names(): string[] {
    return [...this.vars.keys()];
  }

  variables(): tf.Variable[] {
    return [...this.vars.values()];
  }

  entries(): [string, tf.Variable][] {
    return [...this.vars.entries()];
  }

  /** Total number of scalars. */
  count(): number {
    let n = 0;
    for (const v of this.vars.values()) n += v.size;
    return n;
  }

  /** Replaces every value; shapes must match exactly. */
  load(values: Record<string, { shape: number[]; data: ArrayLike<number> }>): void {
    for (const [name, v] of this.vars) {
      const src = values[name];
      if (!src) throw new Error(`Missing parameter ${name}`);
      if (src.shape.join(',') !== v.shape.join(',')) {
        throw new Error(
          `Parameter ${name} has shape [${src.shape}], the model expects [${v.shape}]`,
        );
      }
      if (src.data.length !== v.size) {
        throw new Error(`Parameter ${name} has ${src.data.length} values, expected ${v.size}`);
      }
      const value = tf.tensor(Float32Array.from(src.data), v.shape, 'float32');
      v.assign(value); // copies: dispose the temporary
      value.dispose();
    }
    const extra = Object.keys(values).filter((n) => !this.vars.has(n));
    if (extra.length) throw new Error(`Unknown parameters: ${extra.slice(0, 5).join(', ')}`);
  }

  dispose(): void {
    for (const v of this.vars.values()) v.dispose();
    this.vars.clear();
  }
}

let nextId = 0;

/**
 * The names of `count` blocks in an nn.Sequential registered as the book does it
 * (`blks.add_module("block" + str(i), ...)`): `${prefix}.block0`, `${prefix}.block1`, …
 */
export function blockNames(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}.block${i}`);
}

/** PyTorch's nn.init.xavier_uniform_, which the book's train_seq2seq applies to every nn.Linear. */
export function xavierUniform(rng: Rng, fanOut: number, fanIn: number): Float32Array {
  const bound = Math.sqrt(6 / (fanIn + fanOut));
  return fill(fanOut * fanIn, () => (2 * rng.next() - 1) * bound);
}

/** PyTorch's default nn.Linear bias: U(-1/sqrt(fan_in), 1/sqrt(fan_in)). */
export function linearBias(rng: Rng, fanIn: number, size: number): Float32Array {
  const bound = 1 / Math.sqrt(fanIn);
  return fill(size, () => (2 * rng.next() - 1) * bound);
}

/** PyTorch's default nn.Embedding weight: N(0, 1). */
export function standardNormal(rng: Rng, size: number): Float32Array {
  return fill(size, () => {
    const u = 1 - rng.next();
    const v = rng.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  });
}

export function constant(size: number, value: number): Float32Array {
  return new Float32Array(size).fill(value);
}

function fill(size: number, f: () => number): Float32Array {
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = f();
  return out;
}
