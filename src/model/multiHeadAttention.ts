import { Tensor } from './tf';
import { ForwardContext, dropoutSeed } from './context';
import { Dense } from './dense';
import { ParamStore } from './params';
import { AttentionResult, dotProductAttention } from './attention';
import { AdditiveAttention } from './additiveAttention';
import { AttentionFunction } from './config';
import { linear, mergeHeads, splitHeads } from './ops/taped';
import { groupedAttention } from './ops/groupedAttention';

/**
 * The book's MultiHeadAttention: W_q, W_k, W_v, W_o without bias; heads split from the hidden
 * axis (transpose_qkv) and merged back (transpose_output).
 *
 * `attentionFunction` picks the book's `self.attention`: DotProductAttention (no parameters) or
 * AdditiveAttention(d, d, d) with d = numHiddens / numHeads, whose W_k, W_q, w_v are shared by the
 * heads and named `${name}.attention.W_k.weight`, … as PyTorch's state_dict names them. The
 * additive scoring runs on plain tfjs ops only: it has no `Tape` path (train it with autodiff,
 * see trainStep.ts).
 */
export class MultiHeadAttention {
  /** The additive scoring function, when `attentionFunction` is 'additive'. */
  readonly additive: AdditiveAttention | null;
  readonly W_q: Dense;
  readonly W_k: Dense;
  readonly W_v: Dense;
  readonly W_o: Dense;

  constructor(
    store: ParamStore,
    name: string,
    readonly numHiddens: number,
    readonly numHeads: number,
    readonly dropoutRate: number,
    readonly attentionFunction: AttentionFunction = 'dotProduct',
  ) {
    // PyTorch registers `self.attention` before W_q…W_o: same order for the parameters.
    if (attentionFunction === 'additive') {
      const d = numHiddens / numHeads;
      this.additive = new AdditiveAttention(store, `${name}.attention`, d, d, d);
    } else if (attentionFunction === 'dotProduct') {
      this.additive = null;
    } else {
      throw new Error(`Unknown attention function ${JSON.stringify(attentionFunction)}`);
    }
    this.W_q = new Dense(store, `${name}.W_q`, numHiddens, numHiddens, false);
    this.W_k = new Dense(store, `${name}.W_k`, numHiddens, numHiddens, false);
    this.W_v = new Dense(store, `${name}.W_v`, numHiddens, numHiddens, false);
    this.W_o = new Dense(store, `${name}.W_o`, numHiddens, numHiddens, false);
  }

  /**
   * On a block's 2-D rows: queries (batch*Q, hidden), keys/values (batch*K, hidden); mask
   * broadcasts to (batch, heads, Q, K). Returns output (batch*Q, hidden) and weights
   * (batch, heads, Q, K) — the book's (batch*heads, Q, K) reshaped.
   */
  apply(
    queries: Tensor,
    keys: Tensor,
    values: Tensor,
    B: number,
    Q: number,
    K: number,
    mask: Tensor | null,
    ctx: ForwardContext,
  ): AttentionResult {
    const tape = ctx.tape;
    const H = this.numHeads;
    if (tape && this.additive) {
      throw new Error(
        'additive attention has no Tape path: train it with tf.variableGrads (trainStep does)',
      );
    }
    if (tape && ctx.timeMajor) {
      // The training step on wasm: batched products as grouped XNNPACK convolutions.
      const r = groupedAttention(
        linear(queries, this.W_q.weight, null, tape),
        linear(keys, this.W_k.weight, null, tape),
        linear(values, this.W_v.weight, null, tape),
        B,
        Q,
        K,
        H,
        mask,
        this.dropoutRate,
        ctx.training,
        () => dropoutSeed(ctx),
        tape,
      );
      return { output: linear(r.output, this.W_o.weight, null, tape), weights: r.weights };
    }
    const q = splitHeads(linear(queries, this.W_q.weight, null, tape), B, Q, H, tape);
    const k = splitHeads(linear(keys, this.W_k.weight, null, tape), B, K, H, tape);
    const v = splitHeads(linear(values, this.W_v.weight, null, tape), B, K, H, tape);
    const { output, weights } = this.additive
      ? this.additive.apply(q, k, v, mask, this.dropoutRate, ctx)
      : dotProductAttention(q, k, v, mask, this.dropoutRate, ctx);
    return { output: linear(mergeHeads(output, tape), this.W_o.weight, null, tape), weights };
  }
}
