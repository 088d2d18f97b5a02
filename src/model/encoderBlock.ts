import { Tensor } from './tf';
import { AddNorm } from './addNorm';
import { ModelConfig } from './config';
import { ForwardContext } from './context';
import { MultiHeadAttention } from './multiHeadAttention';
import { ParamStore } from './params';
import { PositionWiseFFN } from './positionWiseFFN';
import { onRows } from './blockRows';

/** The book's EncoderBlock: self-attention + AddNorm, then FFN + AddNorm. */
export class EncoderBlock {
  readonly attention: MultiHeadAttention;
  readonly addnorm1: AddNorm;
  readonly ffn: PositionWiseFFN;
  readonly addnorm2: AddNorm;

  /** `layer`: its index in the encoder, which the head mask's encoderSelf rows follow. */
  constructor(store: ParamStore, name: string, config: ModelConfig, layer = 0) {
    const { numHiddens, ffnNumHiddens, dropout } = config;
    this.attention = new MultiHeadAttention(store, `${name}.attention`, config, {
      kind: 'encoderSelf',
      layer,
    });
    this.addnorm1 = new AddNorm(store, `${name}.addnorm1`, numHiddens, dropout);
    this.ffn = new PositionWiseFFN(store, `${name}.ffn`, numHiddens, ffnNumHiddens, numHiddens);
    this.addnorm2 = new AddNorm(store, `${name}.addnorm2`, numHiddens, dropout);
  }

  /**
   * X (batch, steps, hidden); mask (batch, 1, 1, steps) hides padded keys.
   * Returns (batch, steps, hidden) and the weights (batch, heads, steps, steps).
   */
  apply(X: Tensor, mask: Tensor, ctx: ForwardContext): { output: Tensor; weights: Tensor } {
    return onRows(X, ctx, (X, pass) => {
      const { output: attended, weights } = this.attention.apply(X, X, X, mask, pass);
      const Y = this.addnorm1.apply(X, attended, pass);
      return { output: this.addnorm2.apply(Y, this.ffn.apply(Y, pass.tape), pass), weights };
    });
  }
}
