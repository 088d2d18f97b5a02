import { Tensor } from './tf';
import { ForwardContext, ForwardPass } from './context';
import { Dense } from './dense';
import { ParamStore } from './params';
import { AttentionResult, attendToValues } from './attention';
import { maskFromValidLens } from './maskedSoftmax';
import { reshape } from './ops/taped';
import { additiveScores, fusedAdditiveScores, groupedAdditiveScores } from './ops/additiveScores';
import type { GroupedScoring } from './ops/groupedAttention';

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
 * The forward is plain tfjs (differentiable by tf.variableGrads / tf.grads) and records its
 * backward pass on the context's `Tape` where there is one (ops/additiveScores.ts). The training
 * step on wasm takes `groupedScoring` instead. Like the other modules it leaves its temporaries
 * (the mask built from valid lengths included, which autodiff still needs) to the caller's
 * tf.tidy.
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
    const pass = ForwardPass.of(ctx);
    const s = additiveScores(
      this.W_q.apply(queries, pass.tape), // (..., Q, hidden)
      this.W_k.apply(keys, pass.tape), // (..., K, hidden)
      this.w_v.weight,
    );
    return attendToValues(s.scores, 1, values, mask, dropoutRate, pass, s.backward);
  }

  /**
   * Its scores in the grouped time-major layout of the training step on wasm, from multi-head
   * attention's projections (rows (step, batch), the heads side by side; keySize = querySize =
   * hidden / heads): with the fast path's kernels all in one (ops/additiveScores.ts
   * `fusedAdditiveScores`), else the projections W_q, W_k as plain 2-D matMuls over all heads'
   * rows, then `groupedAdditiveScores`.
   */
  readonly groupedScoring: GroupedScoring = (p, pass) => {
    const tape = pass.tape;
    const { queries, keys } = p;
    const q = reshape(p.q, [-1, this.querySize], tape); // (Q*G, querySize)
    const k = reshape(p.k, [-1, this.keySize], tape); // (K*G, keySize)
    const wv = this.w_v.weight;
    if (pass.fastPath.kernels && this.numHiddens % 4 === 0) {
      const w = { Wq: this.W_q.weight, Wk: this.W_k.weight, wv };
      return { ...fusedAdditiveScores(q, k, w, queries, keys, pass.fastPath), scale: 1 };
    }
    const qh = this.W_q.apply(q, tape); // (Q*G, hidden)
    const kh = this.W_k.apply(k, tape); // (K*G, hidden)
    return { ...groupedAdditiveScores(qh, kh, wv, queries, keys), scale: 1 };
  };
}
