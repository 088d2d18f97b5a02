import { tf, Tensor } from './tf';
import { ForwardContext, ForwardPass } from './context';
import { dropout } from './ops/dropout';
import { Dense } from './dense';
import { ParamStore } from './params';
import { AttentionResult } from './attention';
import { maskFromValidLens, maskedSoftmaxWithMask } from './maskedSoftmax';

/**
 * The book's AdditiveAttention (d2l v0.17 §10.3.2):
 *
 *   features = tanh(W_q q[..., :, None, :] + W_k k[..., None, :, :])   (..., Q, K, hidden)
 *   scores   = w_v(features).squeeze(-1)                                (..., Q, K)
 *   weights  = masked_softmax(scores, valid_lens)
 *   output   = bmm(dropout(weights), values)                           (..., Q, v)
 *
 * W_k (key_size -> hidden), W_q (query_size -> hidden) and w_v (hidden -> 1), all without bias,
 * are registered as `${name}.W_k.weight`, `${name}.W_q.weight`, `${name}.w_v.weight` in PyTorch's
 * (out, in) layout (with an empty name: `W_k.weight`, … as the module's own state_dict gives them).
 *
 * The forward is plain tfjs (differentiable by tf.variableGrads / tf.grads); it does not record
 * on the training step's `Tape` yet, and refuses a context that carries one. Like the other
 * modules it leaves its temporaries (the mask built from valid lengths included, which autodiff
 * still needs) to the caller's tf.tidy.
 */
export class AdditiveAttention {
  readonly W_k: Dense;
  readonly W_q: Dense;
  readonly w_v: Dense;

  constructor(
    store: ParamStore,
    name: string,
    readonly keySize: number,
    readonly querySize: number,
    readonly numHiddens: number,
  ) {
    const prefix = name ? `${name}.` : '';
    // Same order as the PyTorch constructor, so the initialisers draw in the same order.
    this.W_k = new Dense(store, `${prefix}W_k`, keySize, numHiddens, false);
    this.W_q = new Dense(store, `${prefix}W_q`, querySize, numHiddens, false);
    this.w_v = new Dense(store, `${prefix}w_v`, numHiddens, 1, false);
  }

  /**
   * queries (..., Q, querySize), keys (..., K, keySize), values (..., K, v), with the same
   * leading (batch) dimensions. `validLensOrMask` is either
   * - the book's valid lengths, an int32 tensor, 1-D (batch) or 2-D (batch, Q) — only for 3-D
   *   inputs (batch, steps, features), as the book uses them; or
   * - a float 0/1 mask broadcasting to (..., Q, K), 1 keeping a key (see maskedSoftmax.ts); or
   * - null: a plain softmax over all keys.
   * Returns output (..., Q, v) and the weights before dropout (..., Q, K), as the book stores
   * them in `attention_weights`.
   */
  apply(
    queries: Tensor,
    keys: Tensor,
    values: Tensor,
    validLensOrMask: Tensor | null,
    dropoutRate: number,
    ctx: ForwardContext,
  ): AttentionResult {
    if (ctx.tape) {
      throw new Error('additive attention is not yet supported on the training tape');
    }
    const numKeys = keys.shape[keys.rank - 2]!;
    let mask: Tensor | null = null;
    if (validLensOrMask) {
      if (validLensOrMask.dtype === 'int32') {
        if (queries.rank !== 3) {
          throw new Error(
            `valid lengths need 3-D inputs (batch, steps, features), got rank ${queries.rank}; ` +
              'pass a mask instead',
          );
        }
        mask = maskFromValidLens(validLensOrMask, numKeys);
      } else {
        mask = validLensOrMask;
      }
    }
    const q = this.W_q.apply(queries); // (..., Q, hidden)
    const k = this.W_k.apply(keys); // (..., K, hidden)
    const features = tf.tanh(tf.add(tf.expandDims(q, -2), tf.expandDims(k, -3))); // (..., Q, K, h)
    const scored = this.w_v.apply(features); // (..., Q, K, 1)
    const scores = tf.squeeze(scored, [scored.rank - 1]); // (..., Q, K)
    const weights = maskedSoftmaxWithMask(scores, mask);
    const output = tf.matMul(dropout(weights, dropoutRate, ForwardPass.of(ctx)), values);
    return { output, weights };
  }
}
