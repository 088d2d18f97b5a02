import { tf, Tensor } from './tf';
import { Dense } from './dense';
import { ParamStore } from './params';

/** The book's PositionWiseFFN: dense2(relu(dense1(X))), (batch, steps, hidden) in and out. */
export class PositionWiseFFN {
  readonly dense1: Dense;
  readonly dense2: Dense;

  constructor(
    store: ParamStore,
    name: string,
    numInput: number,
    numHiddens: number,
    numOutputs: number,
  ) {
    this.dense1 = new Dense(store, `${name}.dense1`, numInput, numHiddens);
    this.dense2 = new Dense(store, `${name}.dense2`, numHiddens, numOutputs);
  }

  apply(X: Tensor): Tensor {
    return this.dense2.apply(tf.relu(this.dense1.apply(X)));
  }
}
