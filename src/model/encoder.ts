import { Tensor } from './tf';
import { ForwardContext, ForwardPass } from './context';
import { Embedding } from './embedding';
import { EncoderBlock } from './encoderBlock';
import { maskFromValidLens } from './maskedSoftmax';
import { ParamStore, blockNames } from './params';
import { PositionalEncoding } from './positionalEncoding';
import { ModelConfig } from './config';

export interface EncoderResult {
  output: Tensor; // (batch, steps, hidden)
  mask: Tensor; // (batch, 1, 1, steps): 1 for real tokens, 0 for padding
  weights: Tensor[]; // per layer (batch, heads, steps, steps)
}

/** The book's TransformerEncoder: embedding * sqrt(hidden) + positions, then the blocks. */
export class TransformerEncoder {
  readonly embedding: Embedding;
  readonly posEncoding: PositionalEncoding;
  readonly blks: EncoderBlock[];

  constructor(
    store: ParamStore,
    readonly config: ModelConfig,
  ) {
    const { numHiddens, srcVocabSize } = config;
    this.embedding = new Embedding(store, 'encoder.embedding', srcVocabSize, numHiddens);
    this.posEncoding = new PositionalEncoding(numHiddens, config.dropout);
    this.blks = blockNames('encoder.blks', config.numLayers).map(
      (name, layer) => new EncoderBlock(store, name, config, layer),
    );
  }

  /** X (batch, steps) int32 token ids; validLens (batch) int32. */
  apply(X: Tensor, validLens: Tensor, ctx: ForwardContext): EncoderResult {
    const pass = ForwardPass.of(ctx);
    const [batch, steps] = X.shape as [number, number];
    const mask = maskFromValidLens(validLens, steps).reshape([batch, 1, 1, steps]);
    let H = this.embed(X, pass);
    const weights: Tensor[] = [];
    for (const blk of this.blks) {
      const r = blk.apply(H, mask, pass);
      H = r.output;
      weights.push(r.weights);
    }
    return { output: H, mask, weights };
  }

  /** (batch, steps) ids -> (batch, steps, hidden): embedding * sqrt(hidden) + P, dropout. */
  embed(X: Tensor, ctx: ForwardContext): Tensor {
    const pass = ForwardPass.of(ctx);
    return this.posEncoding.embed(this.embedding, X, pass, 0, 'encoderEmbeddingMask');
  }
}
