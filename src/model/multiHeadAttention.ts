import { Tensor } from './tf';
import { ForwardContext } from './context';
import { Dense } from './dense';
import { ParamStore } from './params';
import { AttentionResult, dotProductAttention } from './attention';

/**
 * The book's MultiHeadAttention: W_q, W_k, W_v, W_o without bias; heads split from the hidden
 * axis (transpose_qkv) and merged back (transpose_output).
 */
export class MultiHeadAttention {
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
  ) {
    this.W_q = new Dense(store, `${name}.W_q`, numHiddens, numHiddens, false);
    this.W_k = new Dense(store, `${name}.W_k`, numHiddens, numHiddens, false);
    this.W_v = new Dense(store, `${name}.W_v`, numHiddens, numHiddens, false);
    this.W_o = new Dense(store, `${name}.W_o`, numHiddens, numHiddens, false);
  }

  /**
   * queries (batch, Q, hidden), keys/values (batch, K, hidden); mask broadcasts to
   * (batch, heads, Q, K). Returns output (batch, Q, hidden) and weights (batch, heads, Q, K) —
   * the book's (batch*heads, Q, K) reshaped.
   */
  apply(
    queries: Tensor,
    keys: Tensor,
    values: Tensor,
    mask: Tensor | null,
    ctx: ForwardContext,
  ): AttentionResult {
    const q = this.splitHeads(this.W_q.apply(queries)); // (batch, heads, Q, hidden/heads)
    const k = this.splitHeads(this.W_k.apply(keys)); // (batch, heads, K, hidden/heads)
    const v = this.splitHeads(this.W_v.apply(values)); // (batch, heads, K, hidden/heads)
    const { output, weights } = dotProductAttention(q, k, v, mask, this.dropoutRate, ctx);
    return { output: this.W_o.apply(this.mergeHeads(output)), weights };
  }

  /** transpose_qkv: (batch, steps, hidden) -> (batch, heads, steps, hidden/heads) */
  splitHeads(x: Tensor): Tensor {
    const [batch, steps] = x.shape;
    return x.reshape([batch, steps, this.numHeads, -1]).transpose([0, 2, 1, 3]);
  }

  /** transpose_output: (batch, heads, steps, hidden/heads) -> (batch, steps, hidden) */
  mergeHeads(x: Tensor): Tensor {
    const [batch, , steps] = x.shape;
    return x.transpose([0, 2, 1, 3]).reshape([batch, steps, this.numHiddens]);
  }
}
