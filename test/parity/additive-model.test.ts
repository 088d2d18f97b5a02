/**
 * Parity of the whole Transformer with additive attention inside every MultiHeadAttention
 * (`attentionFunction: 'additive'`) with the book's PyTorch code: test/fixtures/
 * parity-additive-model.json was written by test/reference/make_fixtures.py
 * (d2l.make_additive_transformer: AdditiveAttention(d, d, d), d = numHiddens / numHeads).
 * Attention weights, logits and loss in training mode (dropout 0) must agree within 1e-5
 * (relative, max norm), gradients (tf.variableGrads: additive attention has no Tape path) within
 * 1e-4, on cpu and wasm.
 */
import { strict as assert } from 'node:assert';
import { tf } from '../../src/model/tf';
import { Transformer } from '../../src/model/transformer';
import { maskedSoftmaxCELoss } from '../../src/train/loss';
import { batchLoss } from '../../src/train/trainStep';
import { clipByGlobalNorm } from '../../src/train/gradClip';
import { tidyKeep } from '../../src/model/tidy';
import { selectBackend } from '../../src/backend/backend';
import { TensorJSON, assertClose, readFixture } from '../helpers/fixtures';
import { fixtureInputs, modelFromFixture } from '../helpers/parityModel';

interface AdditiveModelFixture {
  config: {
    srcVocab: number;
    tgtVocab: number;
    numHiddens: number;
    numHeads: number;
    ffnNumHiddens: number;
    numLayers: number;
    dropout: number;
    attentionFunction: string;
  };
  params: Record<string, TensorJSON>;
  inputs: Record<'encX' | 'encValidLens' | 'decX' | 'labels' | 'labelValidLens', TensorJSON>;
  train: {
    encoderAttention: TensorJSON[];
    decoderSelfAttention: TensorJSON[];
    decoderEncDecAttention: TensorJSON[];
    logits: TensorJSON;
    lossPerSequence: TensorJSON;
    lossSum: number;
    grads: Record<string, TensorJSON>;
    gradNorm: number;
  };
}

const fx = readFixture<AdditiveModelFixture>('parity-additive-model.json');
const FWD = 1e-5;
const GRAD = 1e-4;

const buildModel = () => modelFromFixture(fx, { attentionFunction: 'additive' });
const inputs = () => fixtureInputs(fx);

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`additive-attention Transformer parity with PyTorch (${backend} backend)`, () => {
    let model: Transformer;

    before(async () => {
      const info = await selectBackend(backend);
      assert.equal(info.name, backend, info.reason);
      model = buildModel();
    });
    after(() => model.dispose());

    it('has the same parameter names as the PyTorch state_dict', () => {
      assert.deepEqual(model.params.names().sort(), Object.keys(fx.params).sort());
    });

    it('attention weights of every layer, the logits and the loss (training mode)', () => {
      const t = fx.train;
      tf.tidy(() => {
        const x = inputs();
        const out = model.apply(x.encX, x.encValidLens, x.decX, { training: true });
        assert.equal(out.encoderWeights.length, t.encoderAttention.length);
        out.encoderWeights.forEach((w, i) =>
          assertClose(w.dataSync(), t.encoderAttention[i], FWD, `encoder attention ${i}`),
        );
        assert.equal(out.decoderSelfWeights.length, t.decoderSelfAttention.length);
        out.decoderSelfWeights.forEach((w, i) =>
          assertClose(w.dataSync(), t.decoderSelfAttention[i], FWD, `decoder self-attention ${i}`),
        );
        assert.equal(out.crossWeights.length, t.decoderEncDecAttention.length);
        out.crossWeights.forEach((w, i) =>
          assertClose(w.dataSync(), t.decoderEncDecAttention[i], FWD, `enc-dec attention ${i}`),
        );
        assertClose(out.logits.dataSync(), t.logits, FWD, 'logits');
        const perSeq = maskedSoftmaxCELoss(out.logits, x.labels, x.labelValidLens);
        assertClose(perSeq.dataSync(), t.lossPerSequence, FWD, 'loss per sequence');
        assertClose([tf.sum(perSeq).dataSync()[0]], [t.lossSum], FWD, 'loss sum');
      });
    });

    it('gradients of every parameter (tf.variableGrads) and the global gradient norm', () => {
      const grads = tidyKeep(() => {
        const x = inputs();
        const { grads } = tf.variableGrads(
          () => batchLoss(model, x, { training: true }) as tf.Scalar,
          model.params.variables(),
        );
        return { grads, norm: clipByGlobalNorm(grads, 1).norm };
      });
      const byName = new Map(model.params.entries().map(([n, v]) => [v.name, n]));
      for (const [varName, g] of Object.entries(grads.grads)) {
        const name = byName.get(varName);
        assert.ok(name, `variable ${varName} is not a parameter`);
        assertClose(g.dataSync(), fx.train.grads[name], GRAD, `grad ${name}`);
      }
      assert.equal(Object.keys(grads.grads).length, Object.keys(fx.train.grads).length);
      assertClose([grads.norm.dataSync()[0]], [fx.train.gradNorm], GRAD, 'grad norm');
      tf.dispose([...Object.values(grads.grads), grads.norm]);
    });
  });
}
