import { tf, Tensor } from './tf';
import { ParamStore, linearBias, xavierUniform } from './params';

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

  apply(x: Tensor): Tensor {
    const lead = x.shape.slice(0, -1);
    const x2 = x.reshape([-1, this.inFeatures]); // (N, in)
    let y = tf.matMul(x2, this.weight, false, true); // (N, out)
    if (this.bias) y = tf.add(y, this.bias);
    return y.reshape([...lead, this.outFeatures]);
  }
}
