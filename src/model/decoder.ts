import { tf, Tensor } from './tf';
import { ForwardContext, ForwardPass } from './context';
import { DecoderBlock } from './decoderBlock';
import { Dense } from './dense';
import { Embedding } from './embedding';
import { causalMask } from './maskedSoftmax';
import { ParamStore } from './params';
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
    const { numHiddens, numLayers, numHeads, ffnNumHiddens, dropout } = config;
    this.embedding = new Embedding(store, 'decoder.embedding', config.tgtVocabSize, numHiddens);
    this.posEncoding = new PositionalEncoding(numHiddens, dropout);
    this.blks = [];
    for (let i = 0; i < numLayers; i++) {
      this.blks.push(
        new DecoderBlock(
          store,
          `decoder.blks.block${i}`,
          numHiddens,
          ffnNumHiddens,
          numHeads,
          dropout,
          config.attentionFunction ?? 'dotProduct',
        ),
      );
    }
    this.dense = new Dense(store, 'decoder.dense', numHiddens, config.tgtVocabSize);
  }

  initState(encOutputs: Tensor, encMask: Tensor): DecoderState {
    return { encOutputs, encMask, cache: this.blks.map(() => null), step: 0 };
  }

  /**
   * Whole target sequence at once (teacher forcing): X (batch, steps) ids, each query sees keys
   * 0..itself (the book's training-time dec_valid_lens 1..T).
   */
  apply(X: Tensor, encOutputs: Tensor, encMask: Tensor, ctx: ForwardContext): DecoderResult {
    const pass = ForwardPass.of(ctx);
    const steps = X.shape[1]!;
    const mask = causalMask(steps); // (steps, steps), broadcast over batch and heads
    let H = this.embed(X, pass, 0);
    const selfWeights: Tensor[] = [];
    const crossWeights: Tensor[] = [];
    for (const blk of this.blks) {
      const r = blk.apply(H, H, mask, encOutputs, encMask, pass);
      H = r.output;
      selfWeights.push(r.selfWeights);
      crossWeights.push(r.crossWeights);
    }
    return { logits: this.dense.apply(H, pass.tape), selfWeights, crossWeights };
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
    let H = this.embed(X, pass, offset);
    const cache: Tensor[] = [];
    const selfWeights: Tensor[] = [];
    const crossWeights: Tensor[] = [];
    this.blks.forEach((blk, i) => {
      const previous = state.cache[i];
      const keyValues = previous ? tf.concat([previous, H], 1) : H; // (batch, step+1, hidden)
      cache.push(keyValues);
      const r = blk.apply(H, keyValues, null, state.encOutputs, state.encMask, pass);
      H = r.output;
      selfWeights.push(r.selfWeights);
      crossWeights.push(r.crossWeights);
    });
    return {
      logits: this.dense.apply(H),
      selfWeights,
      crossWeights,
      state: { ...state, cache, step: state.step + 1 },
    };
  }

  private embed(X: Tensor, pass: ForwardPass, offset: number): Tensor {
    return this.posEncoding.embed(this.embedding, X, pass, offset, 'decoderEmbeddingMask');
  }
}
