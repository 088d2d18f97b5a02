import { Tensor } from './tf';
import { AddNorm } from './addNorm';
import { ModelConfig } from './config';
import { ForwardContext } from './context';
import { MultiHeadAttention } from './multiHeadAttention';
import { ParamStore } from './params';
import { PositionWiseFFN } from './positionWiseFFN';
import { asRows, onRows } from './blockRows';

/** What a decoder block's self-attention attends to. */
export interface DecoderSelfAttention {
  /**
   * (batch, kvSteps, hidden): the block's input itself in training; in step-by-step decoding
   * the inputs of all steps so far (the book's state[2][i] cache), the current one last.
   */
  keyValues: Tensor;
  /** Causal (steps, steps) in training (valid lengths 1..T); null when decoding step by step. */
  mask: Tensor | null;
}

/** The encoder's output (batch, srcSteps, hidden) and padding mask (batch, 1, 1, srcSteps). */
export interface EncoderMemory {
  output: Tensor;
  mask: Tensor;
}

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

  /** `layer`: its index in the decoder, which the head mask's decoder rows follow. */
  constructor(store: ParamStore, name: string, config: ModelConfig, layer = 0) {
    const { numHiddens, ffnNumHiddens, dropout } = config;
    this.attention1 = new MultiHeadAttention(store, `${name}.attention1`, config, {
      kind: 'decoderSelf',
      layer,
    });
    this.addnorm1 = new AddNorm(store, `${name}.addnorm1`, numHiddens, dropout);
    this.attention2 = new MultiHeadAttention(store, `${name}.attention2`, config, {
      kind: 'encoderDecoder',
      layer,
    });
    this.addnorm2 = new AddNorm(store, `${name}.addnorm2`, numHiddens, dropout);
    this.ffn = new PositionWiseFFN(store, `${name}.ffn`, numHiddens, ffnNumHiddens, numHiddens);
    this.addnorm3 = new AddNorm(store, `${name}.addnorm3`, numHiddens, dropout);
  }

  /** X (batch, steps, hidden): this block's input; see DecoderSelfAttention, EncoderMemory. */
  apply(
    X: Tensor,
    self: DecoderSelfAttention,
    enc: EncoderMemory,
    ctx: ForwardContext,
  ): DecoderBlockResult {
    return onRows(X, ctx, (X2, pass) => {
      const kv = self.keyValues === X ? X2 : asRows(self.keyValues, pass);
      const encRows = asRows(enc.output, pass);
      const att1 = this.attention1.apply(X2, kv, kv, self.mask, pass);
      const Y = this.addnorm1.apply(X2, att1.output, pass);
      const att2 = this.attention2.apply(Y, encRows, encRows, enc.mask, pass);
      const Z = this.addnorm2.apply(Y, att2.output, pass);
      const output = this.addnorm3.apply(Z, this.ffn.apply(Z, pass.tape), pass);
      return { output, selfWeights: att1.weights, crossWeights: att2.weights };
    });
  }
}
