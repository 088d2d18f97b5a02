import { Tensor } from './tf';
import { ForwardPass } from './context';
import { Dense } from './dense';
import { ParamStore } from './params';
import { AttentionResult, dotProductAttention } from './attention';
import { AdditiveAttention } from './additiveAttention';
import { AttentionFunction, ModelConfig } from './config';
import { linear, mergeHeads, splitHeads } from './ops/taped';
import { HeadProjections, groupedAttention } from './ops/groupedAttention';
import { AttentionSlot } from './headMask';
import { gateHeads } from './headGates';

/**
 * The book's MultiHeadAttention: W_q, W_k, W_v, W_o without bias; heads split from the hidden
 * axis (transpose_qkv) and merged back (transpose_output).
 *
 * `attentionFunction` picks the book's `self.attention`: DotProductAttention (no parameters) or
 * AdditiveAttention(d, d, d) with d = numHiddens / numHeads, whose W_k, W_q, w_v are shared by the
 * heads and named `${name}.attention.W_k.weight`, … as PyTorch's state_dict names them.
 */
export class MultiHeadAttention {
  /** The additive scoring function, when `attentionFunction` is 'additive'. */
  readonly additive: AdditiveAttention | null;
  readonly W_q: Dense;
  readonly W_k: Dense;
  readonly W_v: Dense;
  readonly W_o: Dense;

  readonly numHiddens: number;
  readonly numHeads: number;
  readonly dropoutRate: number;

  /**
   * From the model's config: its numHiddens, numHeads, dropout and attentionFunction. `slot`
   * says which kind and layer it is, so that a pass's head gates and probe find it (none: never
   * gated, never probed).
   */
  constructor(
    store: ParamStore,
    name: string,
    config: ModelConfig,
    readonly slot?: AttentionSlot,
  ) {
    const { numHiddens, numHeads } = config;
    this.numHiddens = numHiddens;
    this.numHeads = numHeads;
    this.dropoutRate = config.dropout;
    const attentionFunction: AttentionFunction = config.attentionFunction ?? 'dotProduct';
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
   * On a block's 2-D rows, whose batch and steps `pass.rows` gives: queries (batch*Q, hidden),
   * keys and values (batch*K, hidden), batch-major or, in the time-major layout, step-major;
   * mask broadcasts to (batch, heads, Q, K). Returns the output (batch*Q, hidden) in the
   * queries' row order and the weights (batch, heads, Q, K) — the book's (batch*heads, Q, K).
   */
  apply(
    queries: Tensor,
    keys: Tensor,
    values: Tensor,
    mask: Tensor | null,
    pass: ForwardPass,
  ): AttentionResult {
    const tape = pass.tape;
    if (!pass.rows) throw new Error("MultiHeadAttention runs on a block's rows (inBlock)");
    const { batch, steps } = pass.rows;
    const p: HeadProjections = {
      q: linear(queries, this.W_q.weight, null, tape),
      k: linear(keys, this.W_k.weight, null, tape),
      v: linear(values, this.W_v.weight, null, tape),
      batch,
      queries: steps,
      keys: keys.shape[0]! / batch,
      heads: this.numHeads,
    };
    // The training step on wasm: the heads' batched products as grouped XNNPACK convolutions.
    const heads = pass.timeMajor
      ? groupedAttention(p, mask, this.dropoutRate, pass, this.additive?.groupedScoring)
      : this.splitAttention(p, mask, pass);
    // heads.output holds the heads' outputs side by side, (rows, heads * hidden/heads): the
    // head mask (Michel et al. 2019) zeroes a head's columns here, before W_o.
    const gate = this.slot ? pass.headGate(this.slot.kind, this.slot.layer) : null;
    if (gate && gate.rank === 2 && pass.timeMajor) {
      throw new Error('per-sequence head gates need the batch-major layout (no training Tape)');
    }
    const merged = gate ? gateHeads(heads.output, gate, tape) : heads.output;
    if (pass.probe && this.slot) {
      pass.probe({
        ...p,
        slot: this.slot,
        mask,
        weights: heads.weights,
        headsOutput: heads.output,
        gate,
      });
    }
    return { output: linear(merged, this.W_o.weight, null, tape), weights: heads.weights };
  }

  /** The book's way: split the heads (transpose_qkv), attend, merge them (transpose_output). */
  private splitAttention(p: HeadProjections, mask: Tensor | null, pass: ForwardPass) {
    const { batch: B, queries: Q, keys: K, heads: H } = p;
    const tape = pass.tape;
    const q = splitHeads(p.q, B, Q, H, tape);
    const k = splitHeads(p.k, B, K, H, tape);
    const v = splitHeads(p.v, B, K, H, tape);
    const { output, weights } = this.additive
      ? this.additive.apply(q, k, v, mask, this.dropoutRate, pass)
      : dotProductAttention(q, k, v, mask, this.dropoutRate, pass);
    return { output: mergeHeads(output, tape), weights };
  }
}
