/** Step-by-step decoding checked against a greedy trace of test/reference/make_fixtures.py. */
import { strict as assert } from 'node:assert';
import { tf, Tensor } from '../../src/model/tf';
import { Transformer } from '../../src/model/transformer';
import { tidyKeep } from '../../src/model/tidy';
import { DecoderState } from '../../src/model/decoder';
import { PositionMode } from '../../src/model/config';
import { ForwardContext } from '../../src/model/context';
import { TensorJSON, assertClose } from './fixtures';

/** make_fixtures.greedy_trace: predict_seq2seq's loop on ids, no early stop at <eos>. */
export interface GreedyTrace {
  posMode: PositionMode;
  encValidLen: number;
  encX: number[];
  outputIds: number[];
  stepLogits: TensorJSON;
  encoderAttention: TensorJSON[];
  decoderSelfAttention: TensorJSON[][];
  encDecAttention: TensorJSON[][];
}

/**
 * Encodes the trace's source and decodes greedily through decoder.step with `ctx` (an inference
 * context, maybe with head gates): the encoder attention, every step's logits and attention
 * weights within `tol`, and every argmax exactly. Frees what it creates.
 */
export function checkGreedyTrace(
  model: Transformer,
  p: GreedyTrace,
  ctx: ForwardContext,
  tol: number,
): void {
  const steps = p.encX.length;
  const enc = tidyKeep(() =>
    model.encoder.apply(
      tf.tensor2d([p.encX], [1, steps], 'int32'),
      tf.tensor1d([p.encValidLen], 'int32'),
      ctx,
    ),
  );
  enc.weights.forEach((w, l) =>
    assertClose(w.dataSync(), p.encoderAttention[l], tol, `encoder attention ${l}`),
  );
  let state: DecoderState = model.decoder.initState(enc.output, enc.mask);
  let next = 2; // <bos>
  const V = p.stepLogits.shape[1];
  for (let s = 0; s < p.outputIds.length; s++) {
    const r = tidyKeep(() =>
      model.decoder.step(tf.tensor2d([[next]], [1, 1], 'int32'), state, ctx, p.posMode),
    );
    const logits = r.logits.dataSync();
    assertClose(logits, p.stepLogits.data.slice(s * V, (s + 1) * V), tol, `step ${s} logits`);
    r.selfWeights.forEach((w, l) =>
      assertClose(w.dataSync(), p.decoderSelfAttention[s][l], tol, `step ${s} self ${l}`),
    );
    r.crossWeights.forEach((w, l) =>
      assertClose(w.dataSync(), p.encDecAttention[s][l], tol, `step ${s} cross ${l}`),
    );
    next = tf.tidy(() => r.logits.reshape([-1]).argMax()).dataSync()[0];
    assert.equal(next, p.outputIds[s], `argmax at step ${s}`);
    tf.dispose([
      r.logits,
      ...r.selfWeights,
      ...r.crossWeights,
      ...(state.cache.filter(Boolean) as Tensor[]),
    ]);
    state = r.state;
  }
  tf.dispose([enc.output, enc.mask, ...enc.weights, ...(state.cache.filter(Boolean) as Tensor[])]);
}
