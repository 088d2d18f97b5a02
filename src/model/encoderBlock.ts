import { Tensor } from './tf';
import { AddNorm } from './addNorm';
import { AttentionFunction } from './config';
import { ForwardContext, ForwardPass } from './context';
import { MultiHeadAttention } from './multiHeadAttention';
import { ParamStore } from './params';
import { PositionWiseFFN } from './positionWiseFFN';
import { reshape } from './ops/taped';

/** The book's EncoderBlock: self-attention + AddNorm, then FFN + AddNorm. */
export class EncoderBlock {
  readonly attention: MultiHeadAttention;
  readonly addnorm1: AddNorm;
  readonly ffn: PositionWiseFFN;
  readonly addnorm2: AddNorm;

  constructor(
    store: ParamStore,
    name: string,
    numHiddens: number,
    ffnNumHiddens: number,
    numHeads: number,
    dropout: number,
    attentionFunction: AttentionFunction = 'dotProduct',
  ) {
    this.attention = new MultiHeadAttention(
      store,
      `${name}.attention`,
      numHiddens,
      numHeads,
      dropout,
      attentionFunction,
    );
    this.addnorm1 = new AddNorm(store, `${name}.addnorm1`, numHiddens, dropout);
    this.ffn = new PositionWiseFFN(store, `${name}.ffn`, numHiddens, ffnNumHiddens, numHiddens);
    this.addnorm2 = new AddNorm(store, `${name}.addnorm2`, numHiddens, dropout);
  }

  /**
   * X (batch, steps, hidden); mask (batch, 1, 1, steps) hides padded keys.
   * Returns (batch, steps, hidden) and the weights (batch, heads, steps, steps).
   */
  apply(X: Tensor, mask: Tensor, ctx: ForwardContext): { output: Tensor; weights: Tensor } {
    const pass = ForwardPass.of(ctx);
    const [B, T] = pass.batchAndSteps(X);
    const D = X.shape[2]!;
    const tape = pass.tape;
    const inner = pass.inBlock(B, T);
    const X2 = reshape(X, [B * T, D], tape); // rows of (batch*steps, hidden) inside the block
    const { output: attended, weights } = this.attention.apply(X2, X2, X2, mask, inner);
    const Y = this.addnorm1.apply(X2, attended, inner);
    const Z = this.addnorm2.apply(Y, this.ffn.apply(Y, tape), inner);
    return { output: reshape(Z, X.shape, tape), weights };
  }
}
