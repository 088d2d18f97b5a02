import { Tensor } from './tf';
import { ForwardContext, ForwardPass } from './context';
import { TransformerDecoder } from './decoder';
import { TransformerEncoder } from './encoder';
import { ParamStore } from './params';
import { ModelConfig } from './config';
import { Rng } from '../util/rng';

export interface TransformerOutput {
  logits: Tensor; // (batch, tgtSteps, tgtVocab)
  encoderWeights: Tensor[]; // per layer (batch, heads, srcSteps, srcSteps)
  decoderSelfWeights: Tensor[]; // per layer (batch, heads, tgtSteps, tgtSteps)
  crossWeights: Tensor[]; // per layer (batch, heads, tgtSteps, srcSteps)
}

/**
 * The book's EncoderDecoder with the Transformer encoder and decoder. Parameters are created in
 * the order PyTorch registers them and initialised as train_seq2seq does (Xavier-uniform dense
 * weights, default biases, N(0,1) embeddings, LayerNorm 1/0), from `seed`.
 */
export class Transformer {
  readonly params: ParamStore;
  readonly encoder: TransformerEncoder;
  readonly decoder: TransformerDecoder;

  constructor(
    readonly config: ModelConfig,
    seed = 0,
  ) {
    if (config.numHiddens % config.numHeads !== 0) {
      throw new Error(
        `numHiddens (${config.numHiddens}) must be divisible by numHeads (${config.numHeads})`,
      );
    }
    this.params = new ParamStore(new Rng(seed));
    this.encoder = new TransformerEncoder(this.params, config);
    this.decoder = new TransformerDecoder(this.params, config);
  }

  /**
   * encX (batch, srcSteps) ids, encValidLens (batch), decX (batch, tgtSteps) ids (teacher forcing:
   * <bos> then the target shifted right).
   */
  apply(encX: Tensor, encValidLens: Tensor, decX: Tensor, ctx: ForwardContext): TransformerOutput {
    const pass = ForwardPass.of(ctx); // one fast-path and layout decision for the whole pass
    const enc = this.encoder.apply(encX, encValidLens, pass);
    const dec = this.decoder.apply(decX, enc, pass);
    return {
      logits: dec.logits,
      encoderWeights: enc.weights,
      decoderSelfWeights: dec.selfWeights,
      crossWeights: dec.crossWeights,
    };
  }

  dispose(): void {
    this.params.dispose();
  }
}
