/**
 * Parity of the whole Transformer with additive attention inside every MultiHeadAttention
 * (`attentionFunction: 'additive'`) with the book's PyTorch code: test/fixtures/
 * parity-additive-model.json was written by test/reference/make_fixtures.py
 * (d2l.make_additive_transformer: AdditiveAttention(d, d, d), d = numHiddens / numHeads).
 * Attention weights, logits and loss in training mode (dropout 0) must agree within 1e-5
 * (relative, max norm), gradients within 1e-4, on cpu and wasm: those of tf.variableGrads and
 * those of the training step's Tape (its hand-written backward pass, src/model/ops/
 * additiveScores.ts; on wasm the grouped time-major path of the training step, on cpu the
 * public one), which must also give autodiff's gradients within 1e-5 with dropout on.
 */
import { strict as assert } from 'node:assert';
import { tf } from '../../src/model/tf';
import { fastPathOf } from '../../src/model/ops/fastPath';
import { TensorJSON, readFixture } from '../helpers/fixtures';
import {
  assertAutodiffGradientsMatch,
  assertForwardMatches,
  assertTapeGradientsMatch,
  assertTapeMatchesAutodiff,
  describeOnEachBackend,
} from '../helpers/parityChecks';
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

const buildModel = (dropout = fx.config.dropout) =>
  modelFromFixture(fx, { attentionFunction: 'additive', dropout });
const inputs = () => fixtureInputs(fx);

describeOnEachBackend(
  (backend) => `additive-attention Transformer parity with PyTorch (${backend} backend)`,
  () => buildModel(),
  (model) => {
    it('has the same parameter names as the PyTorch state_dict', () => {
      assert.deepEqual(model().params.names().sort(), Object.keys(fx.params).sort());
    });

    it('attention weights of every layer, the logits and the loss (training mode)', () => {
      tf.tidy(() => assertForwardMatches(model(), inputs(), fx.train, FWD));
    });

    it('gradients of every parameter (tf.variableGrads) and the global gradient norm', () => {
      assertAutodiffGradientsMatch(model(), inputs, fx.train, GRAD);
    });

    it('gradients of the training step (the Tape) and the global gradient norm', () => {
      assertTapeGradientsMatch(model(), inputs, fx.train, GRAD);
    });

    it('with dropout: the Tape gives the public pass and tf.variableGrads within 1e-5', () => {
      const dropped = buildModel(0.3);
      try {
        const loss = assertTapeMatchesAutodiff(dropped, inputs, 42);
        assert.ok(Math.abs(loss - fx.train.lossSum) > 1e-3, 'dropout was on');
        // The path a backend without host memory (a GPU's) takes: batched products.
        assertTapeMatchesAutodiff(dropped, inputs, 42, fastPathOf('tensorflow'));
      } finally {
        dropped.dispose();
      }
    });
  },
);
