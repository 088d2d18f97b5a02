import { tf, Tensor } from './tf';
import { ParamStore, linearBias, xavierUniform } from './params';
import { linear, reshape } from './ops/taped';
import { Tape } from './tape';

/**
 * nn.Linear(in, out): y = x W^T + b, weight stored (out, in) as PyTorch does. Applied as one 2-D
 * matMul over all leading dimensions: (..., in) -> (..., out).
 */
export class Dense {
  readonly weight: tf.Variable;
  readonly bias: tf.Variable | null;

  constructor(
    store: ParamStore,
    name: string,
    readonly inFeatures: number,
    readonly outFeatures: number,
    useBias = true,
  ) {
    this.weight = store.add(
      `${name}.weight`,
      [outFeatures, inFeatures],
      xavierUniform(store.rng, outFeatures, inFeatures),
    );
    this.bias = useBias
      ? store.add(`${name}.bias`, [outFeatures], linearBias(store.rng, inFeatures, outFeatures))
      : null;
  }

  /** (..., in) -> (..., out); 2-D inputs stay 2-D without a reshape. */
  apply(x: Tensor, tape?: Tape): Tensor {
    if (x.rank === 2) return linear(x, this.weight, this.bias, tape);
    const lead = x.shape.slice(0, -1);
    const y = linear(reshape(x, [-1, this.inFeatures], tape), this.weight, this.bias, tape);
    return reshape(y, [...lead, this.outFeatures], tape);
  }
}
