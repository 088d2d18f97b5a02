/**
 * Parity with the book's PyTorch code: test/fixtures/parity-dot.json was written by
 * test/reference/make_fixtures.py from the same weights and inputs. Forward values, attention
 * weights, logits and loss must agree within 1e-5 (relative, max norm), gradients within 1e-4,
 * on every backend the tests can start here (cpu and wasm).
 */
import { strict as assert } from 'node:assert';
import { tf, Tensor } from '../../src/model/tf';
import { maskedSoftmax } from '../../src/model/maskedSoftmax';
import { positionalTable } from '../../src/model/positionalEncoding';
import { bookAdam, trainStep } from '../../src/train/trainStep';
import { Rng } from '../../src/util/rng';
import { TensorJSON, assertClose, readFixture } from '../helpers/fixtures';
import {
  assertAutodiffGradientsMatch,
  assertForwardMatches,
  describeOnEachBackend,
} from '../helpers/parityChecks';
import { fixtureInputs, intTensor, modelFromFixture } from '../helpers/parityModel';
import { GreedyTrace, checkGreedyTrace } from '../helpers/greedyTrace';

interface ParityFixture {
  config: Record<string, number>;
  params: Record<string, TensorJSON>;
  inputs: Record<'encX' | 'encValidLens' | 'decX' | 'labels' | 'labelValidLens', TensorJSON>;
  maskedSoftmax: { input: TensorJSON; validLens: TensorJSON; output: TensorJSON }[];
  positionalEncoding: TensorJSON;
  train: {
    encoderEmbedded: TensorJSON;
    decoderEmbedded: TensorJSON;
    encoderBlockOutputs: TensorJSON[];
    encoderAttention: TensorJSON[];
    decoderBlockOutputs: TensorJSON[];
    decoderSelfAttention: TensorJSON[];
    decoderEncDecAttention: TensorJSON[];
    logits: TensorJSON;
    lossPerSequence: number[];
    lossSum: number;
    grads: Record<string, TensorJSON>;
    gradNorm: number;
  };
  adam: {
    lr: number;
    steps: number;
    lossSums: number[];
    gradNorms: number[];
    paramsAfter: Record<string, TensorJSON>;
  };
  predict: GreedyTrace[];
}

const fx = readFixture<ParityFixture>('parity-dot.json');
const FWD = 1e-5;
const GRAD = 1e-4;

const int = intTensor;
const buildModel = () => modelFromFixture(fx);
const inputs = () => fixtureInputs(fx);

describeOnEachBackend(
  (backend) => `parity with the book's PyTorch code (${backend} backend)`,
  buildModel,
  (model) => {
    it('has the same parameter names and shapes as the PyTorch state_dict', () => {
      assert.deepEqual(model().params.names().sort(), Object.keys(fx.params).sort());
    });

    it('masked softmax with 1-D and 2-D valid lengths', () => {
      for (const c of fx.maskedSoftmax) {
        const out = tf.tidy(() =>
          maskedSoftmax(tf.tensor(c.input.data, c.input.shape), int(c.validLens)),
        );
        assertClose(out.dataSync(), c.output, FWD, `masked softmax ${c.validLens.shape}`);
        out.dispose();
      }
    });

    it('positional encoding table', () => {
      const [rows, cols] = fx.positionalEncoding.shape.slice(-2);
      const P = positionalTable(cols, 1000).subarray(0, rows * cols);
      assertClose(P, fx.positionalEncoding, FWD, 'P');
    });

    it('every layer, the attention weights, the logits and the loss (training mode)', () => {
      const t = fx.train;
      tf.tidy(() => {
        const x = inputs();
        const ctx = { training: true };
        assertClose(
          model().encoder.embed(x.encX, ctx).dataSync(),
          t.encoderEmbedded,
          FWD,
          'encoder embedding',
        );
        const enc = model().encoder.apply(x.encX, x.encValidLens, ctx);
        // Block outputs: run the blocks one by one to compare each layer.
        let H = model().encoder.embed(x.encX, ctx);
        model().encoder.blks.forEach((blk, i) => {
          H = blk.apply(H, enc.mask, ctx).output;
          assertClose(H.dataSync(), t.encoderBlockOutputs[i], FWD, `encoder block ${i}`);
        });
        assertForwardMatches(model(), x, t, FWD);
      });
    });

    it('decoder block outputs layer by layer', () => {
      const t = fx.train;
      tf.tidy(() => {
        const x = inputs();
        const ctx = { training: true };
        const enc = model().encoder.apply(x.encX, x.encValidLens, ctx);
        const decEmbedded = tf.add(
          tf.mul(model().decoder.embedding.apply(x.decX), Math.sqrt(fx.config.numHiddens)),
          tf.tensor(
            positionalTable(fx.config.numHiddens, 1000).subarray(
              0,
              x.decX.shape[1]! * fx.config.numHiddens,
            ),
            [1, x.decX.shape[1]!, fx.config.numHiddens],
          ),
        );
        assertClose(decEmbedded.dataSync(), t.decoderEmbedded, FWD, 'decoder embedding');
        let H: Tensor = decEmbedded;
        const steps = x.decX.shape[1]!;
        const causal = tf.linalg.bandPart(tf.ones([steps, steps]), -1, 0);
        model().decoder.blks.forEach((blk, i) => {
          H = blk.apply(H, { keyValues: H, mask: causal }, enc, ctx).output;
          assertClose(H.dataSync(), t.decoderBlockOutputs[i], FWD, `decoder block ${i}`);
        });
      });
    });

    it('gradients of every parameter and the global gradient norm', () => {
      assertAutodiffGradientsMatch(model(), inputs, fx.train, GRAD);
    });

    it('three Adam steps with gradient clipping match train_seq2seq', () => {
      const fresh = buildModel();
      const optimizer = bookAdam(fx.adam.lr);
      const x = inputs();
      const rng = new Rng(0);
      try {
        for (let s = 0; s < fx.adam.steps; s++) {
          const loss = trainStep(fresh, optimizer, x, rng, 1);
          assertClose([loss.dataSync()[0]], [fx.adam.lossSums[s]], GRAD, `loss before step ${s}`);
          loss.dispose();
        }
        for (const [name, v] of fresh.params.entries()) {
          assertClose(v.dataSync(), fx.adam.paramsAfter[name], GRAD, `${name} after Adam`);
        }
      } finally {
        optimizer.dispose();
        tf.dispose(Object.values(x));
        fresh.dispose();
      }
    });

    for (const [i, p] of fx.predict.entries()) {
      it(`step-by-step decoding, case ${i} (${p.posMode} positions)`, () => {
        checkGreedyTrace(model(), p, { training: false }, FWD);
      });
    }
  },
);
