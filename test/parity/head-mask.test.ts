/**
 * Parity of the head mask with the book's PyTorch code: test/fixtures/parity-head-mask.json was
 * written by test/reference/make_head_mask_fixture.py, whose MultiHeadAttention multiplies each
 * head's output by its gate before W_o (Michel et al. 2019). For both attention functions, on
 * cpu and wasm: with the fixture's mask, the attention weights of every layer, the logits and
 * the loss (training mode, dropout 0) within 1e-5; the gradient of the loss with respect to the
 * gates (tf.grads through headGatesFromTensors), at the mask and at all ones (Michel et al.'s
 * importance), within 1e-4; greedy decoding with the mask, logits and weights of every step
 * within 1e-5 and every argmax exactly.
 */
import { tf, Tensor } from '../../src/model/tf';
import { Transformer } from '../../src/model/transformer';
import { maskedSoftmaxCELoss } from '../../src/train/loss';
import { HeadMask } from '../../src/model/headMask';
import { ATTENTION_KINDS, AttentionKind } from '../../src/decode/attentionMaps';
import { disposeHeadGates, headGatesFromTensors, headGatesOf } from '../../src/model/headGates';
import { BatchTensors } from '../../src/train/batch';
import { TensorJSON, assertClose, readFixture } from '../helpers/fixtures';
import { ModelFixture, fixtureInputs, modelFromFixture } from '../helpers/parityModel';
import { GreedyTrace, checkGreedyTrace } from '../helpers/greedyTrace';
import {
  ForwardFixture,
  assertForwardMatches,
  describeOnEachBackend,
} from '../helpers/parityChecks';

interface MaskedModel extends ModelFixture {
  train: Omit<ForwardFixture, 'lossSum'> & { maskGrads: Record<AttentionKind, TensorJSON> };
  importance: Record<AttentionKind, TensorJSON>;
  predict: GreedyTrace[];
}

interface HeadMaskFixture {
  config: Record<string, number>;
  mask: HeadMask;
  models: { dotProduct: MaskedModel; additive: MaskedModel };
}

const fx = readFixture<HeadMaskFixture>('parity-head-mask.json');
const FWD = 1e-5;
const GRAD = 1e-4;

/** d(sum of per-sequence loss)/d(gates) at `mask`, per kind (layers, heads). */
function gateGradients(model: Transformer, x: BatchTensors, mask: HeadMask) {
  return tf.tidy(() => {
    const xi = ATTENTION_KINDS.map((k) => tf.tensor2d(mask[k]));
    const grads = tf.grads((...g: Tensor[]) => {
      const headGates = headGatesFromTensors({
        encoderSelf: g[0],
        decoderSelf: g[1],
        encoderDecoder: g[2],
      });
      const out = model.apply(x.encX, x.encValidLens, x.decX, { training: false, headGates });
      return tf.sum(maskedSoftmaxCELoss(out.logits, x.labels, x.labelValidLens));
    })(xi);
    return grads.map((g) => Array.from(g.dataSync()));
  });
}

for (const fn of ['dotProduct', 'additive'] as const) {
  const m = fx.models[fn];
  describeOnEachBackend(
    (backend) => `head mask parity with PyTorch (${fn} attention, ${backend} backend)`,
    () => modelFromFixture({ ...m, config: fx.config }, { attentionFunction: fn }),
    (model) => {
      it('attention weights of every layer, the logits and the loss with heads off', () => {
        const headGates = headGatesOf(model().config, fx.mask);
        try {
          tf.tidy(() => {
            const ctx = { training: false, headGates };
            assertForwardMatches(model(), fixtureInputs(m), m.train, FWD, ctx);
          });
        } finally {
          disposeHeadGates(headGates);
        }
      });

      it('the gradient of the loss with respect to the gates, at the mask and at all ones', () => {
        const x = fixtureInputs(m);
        try {
          const atMask = gateGradients(model(), x, fx.mask);
          const ones = {} as HeadMask;
          for (const k of ATTENTION_KINDS) ones[k] = fx.mask[k].map((r) => r.map(() => 1));
          const atOnes = gateGradients(model(), x, ones);
          ATTENTION_KINDS.forEach((k, i) => {
            assertClose(atMask[i], m.train.maskGrads[k], GRAD, `${k} gate gradient`);
            assertClose(atOnes[i], m.importance[k], GRAD, `${k} importance`);
          });
        } finally {
          tf.dispose(Object.values(x));
        }
      });

      for (const [i, p] of m.predict.entries()) {
        it(`greedy decoding with heads off, case ${i} (${p.posMode} positions)`, () => {
          const headGates = headGatesOf(model().config, fx.mask);
          try {
            checkGreedyTrace(model(), p, { training: false, headGates }, FWD);
          } finally {
            disposeHeadGates(headGates);
          }
        });
      }
    },
  );
}
