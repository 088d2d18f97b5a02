import type { Tensor } from './tf';
import type { AttentionSlot } from './headMask';

/**
 * What one multi-head attention layer computed, as a probe sees it (inference only: the
 * tensors belong to the caller's tf.tidy, so read what you need inside the call). In the
 * batch-major layout of inference, rows are ordered (batch, step).
 */
export interface AttentionSeen {
  slot: AttentionSlot;
  batch: number;
  queries: number;
  keys: number;
  heads: number;
  /** W_q queries, W_k keys, W_v values: (batch*queries | batch*keys, heads * d), heads side by side. */
  q: Tensor;
  k: Tensor;
  v: Tensor;
  /** The key mask (1 keep, 0 masked) broadcasting to (batch, heads, queries, keys), or null. */
  mask: Tensor | null;
  /** Softmax weights (batch, heads, queries, keys), as the attention maps hold them. */
  weights: Tensor;
  /** The heads' outputs before the gate and W_o: (batch*queries, heads * d). */
  headsOutput: Tensor;
  /** The heads' gates (heads), or null when this layer is not gated. */
  gate: Tensor | null;
}

/**
 * Called by every MultiHeadAttention of a forward pass whose context carries it (the one-head
 * walk-through reads a head's query, keys, values and weights this way, exactly the numbers the
 * heatmaps come from). The training step never carries one.
 */
export type AttentionProbe = (seen: AttentionSeen) => void;
