import { tf, Tensor } from './tf';
import { ForwardContext, ForwardPass } from './context';
import { DecoderBlock, DecoderSelfAttention, EncoderMemory } from './decoderBlock';
import { Dense } from './dense';
import { Embedding } from './embedding';
import { causalMask } from './maskedSoftmax';
import { ParamStore, blockNames } from './params';
import { PositionalEncoding } from './positionalEncoding';
import { ModelConfig, PositionMode } from './config';

export interface DecoderResult {
  logits: Tensor; // (batch, steps, tgtVocab)
  selfWeights: Tensor[]; // per layer (batch, heads, steps, keyValueSteps)
  crossWeights: Tensor[]; // per layer (batch, heads, steps, srcSteps)
}

/**
 * Step-by-step decoding state (the book's init_state): the encoder's output and mask, and per
 * layer the inputs of every step so far (batch, stepsSoFar, hidden).
 */
export interface DecoderState {
  encOutputs: Tensor;
  encMask: Tensor;
  cache: (Tensor | null)[];
  step: number;
}

/** The book's TransformerDecoder: embedding, blocks, final dense layer to the target vocabulary. */
export class TransformerDecoder {
  readonly embedding: Embedding;
  readonly posEncoding: PositionalEncoding;
  readonly blks: DecoderBlock[];
  readonly dense: Dense;

  constructor(
    store: ParamStore,
    readonly config: ModelConfig,
  ) {
    const { numHiddens, tgtVocabSize } = config;
    this.embedding = new Embedding(store, 'decoder.embedding', tgtVocabSize, numHiddens);
    this.posEncoding = new PositionalEncoding(numHiddens, config.dropout);
    this.blks = blockNames('decoder.blks', config.numLayers).map(
      (name, layer) => new DecoderBlock(store, name, config, layer),
    );
    this.dense = new Dense(store, 'decoder.dense', numHiddens, tgtVocabSize);
  }

  initState(encOutputs: Tensor, encMask: Tensor): DecoderState {
    return { encOutputs, encMask, cache: this.blks.map(() => null), step: 0 };
  }

  /**
   * Whole target sequence at once (teacher forcing): X (batch, steps) ids, each query sees keys
   * 0..itself (the book's training-time dec_valid_lens 1..T).
   */
  apply(X: Tensor, enc: EncoderMemory, ctx: ForwardContext): DecoderResult {
    const pass = ForwardPass.of(ctx);
    const { output, selfWeights, crossWeights } = this.hiddenStates(X, enc, pass);
    return { logits: this.dense.apply(output, pass.tape), selfWeights, crossWeights };
  }

  /**
   * `apply` up to the last block, before the dense layer: output (batch, steps, hidden), or
   * (steps, batch, hidden) in the time-major layout. The training step's chunked output layer
   * (src/train/outputLayerLoss.ts) applies the dense layer itself.
   */
  hiddenStates(
    X: Tensor,
    enc: EncoderMemory,
    ctx: ForwardContext,
  ): { output: Tensor; selfWeights: Tensor[]; crossWeights: Tensor[] } {
    const pass = ForwardPass.of(ctx);
    const mask = causalMask(X.shape[1]!); // (steps, steps), broadcast over batch and heads
    const H = this.posEncoding.embed(this.embedding, X, pass, 0, 'decoderEmbeddingMask');
    return this.runBlocks(H, enc, pass, (_, input) => ({ keyValues: input, mask }));
  }

  /**
   * One decoding step: X (batch, 1) ids of the latest token. Attends over the cached inputs of
   * earlier steps. Returns new state (the caller owns and disposes the old cache tensors).
   */
  step(
    X: Tensor,
    state: DecoderState,
    ctx: ForwardContext,
    positionMode: PositionMode,
  ): DecoderResult & { state: DecoderState } {
    const pass = ForwardPass.of(ctx);
    const offset = positionMode === 'correct' ? state.step : 0;
    const H = this.posEncoding.embed(this.embedding, X, pass, offset, 'decoderEmbeddingMask');
    const cache: Tensor[] = [];
    const enc = { output: state.encOutputs, mask: state.encMask };
    const r = this.runBlocks(H, enc, pass, (i, input) => {
      const previous = state.cache[i];
      const keyValues = previous ? tf.concat([previous, input], 1) : input; // (batch, step+1, hidden)
      cache.push(keyValues);
      return { keyValues, mask: null };
    });
    return {
      logits: this.dense.apply(r.output),
      selfWeights: r.selfWeights,
      crossWeights: r.crossWeights,
      state: { ...state, cache, step: state.step + 1 },
    };
  }

  /** The blocks in turn; `selfAttention(i, input)` says what block i's self-attention sees. */
  private runBlocks(
    H: Tensor,
    enc: EncoderMemory,
    pass: ForwardPass,
    selfAttention: (layer: number, input: Tensor) => DecoderSelfAttention,
  ): { output: Tensor; selfWeights: Tensor[]; crossWeights: Tensor[] } {
    const selfWeights: Tensor[] = [];
    const crossWeights: Tensor[] = [];
    this.blks.forEach((blk, i) => {
      const r = blk.apply(H, selfAttention(i, H), enc, pass);
      H = r.output;
      selfWeights.push(r.selfWeights);
      crossWeights.push(r.crossWeights);
    });
    return { output: H, selfWeights, crossWeights };
  }
}
