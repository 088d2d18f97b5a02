import { Tensor } from './tf';
import { AddNorm } from './addNorm';
import { AttentionFunction } from './config';
import { ForwardContext, ForwardPass } from './context';
import { MultiHeadAttention } from './multiHeadAttention';
import { ParamStore } from './params';
import { PositionWiseFFN } from './positionWiseFFN';
import { reshape } from './ops/taped';

export interface DecoderBlockResult {
  output: Tensor; // (batch, steps, hidden)
  selfWeights: Tensor; // (batch, heads, steps, keyValueSteps)
  crossWeights: Tensor; // (batch, heads, steps, srcSteps)
}

/**
 * The book's DecoderBlock: masked self-attention + AddNorm, encoder-decoder attention + AddNorm,
 * FFN + AddNorm.
 */
export class DecoderBlock {
  readonly attention1: MultiHeadAttention;
  readonly addnorm1: AddNorm;
  readonly attention2: MultiHeadAttention;
  readonly addnorm2: AddNorm;
  readonly ffn: PositionWiseFFN;
  readonly addnorm3: AddNorm;

  constructor(
    store: ParamStore,
    name: string,
    numHiddens: number,
    ffnNumHiddens: number,
    numHeads: number,
    dropout: number,
    attentionFunction: AttentionFunction = 'dotProduct',
  ) {
    this.attention1 = new MultiHeadAttention(
      store,
      `${name}.attention1`,
      numHiddens,
      numHeads,
      dropout,
      attentionFunction,
    );
    this.addnorm1 = new AddNorm(store, `${name}.addnorm1`, numHiddens, dropout);
    this.attention2 = new MultiHeadAttention(
      store,
      `${name}.attention2`,
      numHiddens,
      numHeads,
      dropout,
      attentionFunction,
    );
    this.addnorm2 = new AddNorm(store, `${name}.addnorm2`, numHiddens, dropout);
    this.ffn = new PositionWiseFFN(store, `${name}.ffn`, numHiddens, ffnNumHiddens, numHiddens);
    this.addnorm3 = new AddNorm(store, `${name}.addnorm3`, numHiddens, dropout);
  }

  /**
   * X (batch, steps, hidden): this block's input.
   * keyValues (batch, kvSteps, hidden): X itself in training; in step-by-step decoding the inputs
   *   of all steps so far (the book's state[2][i] cache) with X last.
   * selfMask: causal (steps, steps) in training (valid lengths 1..T); null when decoding.
   * encOutputs (batch, srcSteps, hidden), encMask (batch, 1, 1, srcSteps).
   */
  apply(
    X: Tensor,
    keyValues: Tensor,
    selfMask: Tensor | null,
    encOutputs: Tensor,
    encMask: Tensor,
    ctx: ForwardContext,
  ): DecoderBlockResult {
    const pass = ForwardPass.of(ctx);
    const [B, T] = pass.batchAndSteps(X);
    const Tkv = pass.batchAndSteps(keyValues)[1];
    const S = pass.batchAndSteps(encOutputs)[1];
    const D = X.shape[2]!;
    const tape = pass.tape;
    const inner = pass.inBlock(B, T);
    const X2 = reshape(X, [B * T, D], tape); // rows of (batch*steps, hidden) inside the block
    const kv2 = keyValues === X ? X2 : reshape(keyValues, [B * Tkv, D], tape);
    const enc2 = reshape(encOutputs, [B * S, D], tape);
    const self = this.attention1.apply(X2, kv2, kv2, selfMask, inner);
    const Y = this.addnorm1.apply(X2, self.output, inner);
    const cross = this.attention2.apply(Y, enc2, enc2, encMask, inner);
    const Z = this.addnorm2.apply(Y, cross.output, inner);
    const out = this.addnorm3.apply(Z, this.ffn.apply(Z, tape), inner);
    return {
      output: reshape(out, X.shape, tape),
      selfWeights: self.weights,
      crossWeights: cross.weights,
    };
  }
}
