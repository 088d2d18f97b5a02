import { tf, Tensor } from './tf';
import { ForwardPass } from './context';
import { dropout } from './ops/dropout';
import { ParamStore, constant } from './params';
import { add, layerNorm } from './ops/taped';

/** nn.LayerNorm's default eps. */
const LAYER_NORM_EPS = 1e-5;

/** The book's AddNorm: LayerNorm(dropout(Y) + X), normalised over the hidden axis. */
export class AddNorm {
  readonly weight: tf.Variable;
  readonly bias: tf.Variable;

  constructor(
    store: ParamStore,
    name: string,
    readonly numHiddens: number,
    readonly dropoutRate: number,
  ) {
    this.weight = store.add(`${name}.ln.weight`, [numHiddens], constant(numHiddens, 1));
    this.bias = store.add(`${name}.ln.bias`, [numHiddens], constant(numHiddens, 0));
  }

  /** X, Y (..., hidden) of one shape -> (..., hidden) */
  apply(X: Tensor, Y: Tensor, pass: ForwardPass): Tensor {
    const sum = add(dropout(Y, this.dropoutRate, pass), X, pass.tape);
    return layerNorm(sum, this.weight, this.bias, LAYER_NORM_EPS, pass.tape, pass.fastPath);
  }
}
