import { Tensor } from './tf';
import { Dense } from './dense';
import { ParamStore } from './params';
import { relu } from './ops/taped';
import { Tape } from './tape';

/** The book's PositionWiseFFN: dense2(relu(dense1(X))), (..., hidden) in and out. */
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

  apply(X: Tensor, tape?: Tape): Tensor {
    return this.dense2.apply(relu(this.dense1.apply(X, tape), tape), tape);
  }
}
