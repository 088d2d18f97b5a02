/**
 * The training step's chunked output layer (src/train/outputLayerLoss.ts) against the plain one
 * (dense + maskedSoftmaxCELossSum on a Tape) and against tf.variableGrads of the public forward
 * pass, on vocabularies large enough to chunk, on cpu (batch-major) and wasm (time-major).
 */
import { strict as assert } from 'node:assert';
import { DEFAULT_HYPERPARAMETERS as H } from '../../src/config/hyperparameters';
import { modelConfigOf } from '../../src/config/modelConfig';
import { ForwardPass } from '../../src/model/context';
import { Dense } from '../../src/model/dense';
import { currentFastPath } from '../../src/model/ops/fastPath';
import { ParamStore } from '../../src/model/params';
import { Tape } from '../../src/model/tape';
import { tf, Tensor } from '../../src/model/tf';
import { Transformer } from '../../src/model/transformer';
import { BatchTensors } from '../../src/train/batch';
import { maskedSoftmaxCELossSum } from '../../src/train/loss';
import {
  OUTPUT_CHUNK_ELEMENTS,
  chunksOutputLayer,
  outputLayerLossSum,
} from '../../src/train/outputLayerLoss';
import { batchLoss, tapeGradients } from '../../src/train/trainStep';
import { Rng } from '../../src/util/rng';
import { assertClose } from '../helpers/fixtures';
import { describeOnEachBackend } from '../helpers/parityChecks';

const B = 64;
const T = 10;

/** Random labels in [0, vocab) and valid lengths 1..T (the first row full, one row length 1). */
function labelsOf(vocab: number, rng: Rng): { labels: Tensor; validLen: Tensor } {
  const ids = Int32Array.from({ length: B * T }, () => rng.int(vocab));
  const valid = Int32Array.from({ length: B }, (_, b) =>
    b === 0 ? T : b === 1 ? 1 : 1 + rng.int(T),
  );
  return { labels: tf.tensor2d(ids, [B, T], 'int32'), validLen: tf.tensor1d(valid, 'int32') };
}

/** The loss and the gradients of (hidden, weight, bias) of `lossOf` on a fresh Tape. */
function onTape(
  vars: Tensor[],
  lossOf: (pass: ForwardPass) => Tensor,
): { loss: number; grads: Float32Array[] } {
  const tape = new Tape();
  const pass = ForwardPass.of({ training: true, tape });
  const loss = lossOf(pass);
  tape.backward(loss, tf.onesLike(loss));
  const grads = vars.map((v) => {
    const g = tape.gradOf(v);
    assert.ok(g, 'a gradient reached every input');
    return g.dataSync() as Float32Array;
  });
  return { loss: loss.dataSync()[0], grads };
}

describeOnEachBackend(
  (backend) => `chunked output layer (${backend} backend)`,
  () => new Transformer(modelConfigOf({ ...H, dropout: 0 }, 40, 6000), 3),
  (model) => {
    it('equals dense + maskedSoftmaxCELossSum: loss and gradients, 25-row chunks', () => {
      const V = 3000;
      const d = 32;
      const before = tf.memory().numTensors;
      tf.tidy(() => {
        const rng = new Rng(11);
        const dense = new Dense(new ParamStore(rng), 'chunkTest.dense', d, V);
        const { labels, validLen } = labelsOf(V, rng);
        const timeMajor = ForwardPass.of({ training: true, tape: new Tape() }).timeMajor;
        const hidden = tf.randomNormal(timeMajor ? [T, B, d] : [B, T, d], 0, 1, 'float32', 5);
        const vars = [hidden, dense.weight, dense.bias!];
        const plain = onTape(vars, (pass) =>
          maskedSoftmaxCELossSum(
            dense.apply(hidden, pass.tape),
            labels,
            validLen,
            pass.tape,
            timeMajor,
          ),
        );
        const chunked = onTape(vars, (pass) =>
          outputLayerLossSum(hidden, dense, labels, validLen, pass, 25 * V),
        );
        assertClose([chunked.loss], [plain.loss], 1e-6, 'loss');
        ['hidden', 'weight', 'bias'].forEach((name, i) =>
          assertClose(chunked.grads[i], plain.grads[i], 1e-5, name),
        );
        tf.dispose([dense.weight, dense.bias!]);
      });
      assert.equal(tf.memory().numTensors, before, 'tensors left by the chunked op');
    });

    it('tapeGradients chunks a 6,000-word vocabulary and matches tf.variableGrads', () => {
      assert.ok(chunksOutputLayer(B * T, 6000, currentFastPath()), 'the step takes the chunks');
      assert.ok(Math.floor(OUTPUT_CHUNK_ELEMENTS / 6000) < (B * T) / 2, 'in more than one chunk');
      assert.equal(chunksOutputLayer(B * T, 201, currentFastPath()), false, "not the book's 201");
      tf.tidy(() => {
        const rng = new Rng(7);
        const { labels, validLen } = labelsOf(6000, rng);
        const src = () => Int32Array.from({ length: B * T }, () => rng.int(40));
        const t: BatchTensors = {
          encX: tf.tensor2d(src(), [B, T], 'int32'),
          encValidLens: tf.tensor1d(
            Int32Array.from({ length: B }, () => T),
            'int32',
          ),
          decX: tf.tensor2d(src(), [B, T], 'int32'),
          labels,
          labelValidLens: validLen,
        };
        const m = model();
        const vars = m.params.variables();
        const auto = tf.variableGrads(() => batchLoss(m, t, { training: true }) as tf.Scalar, vars);
        const { loss, grads } = tapeGradients(m, t, undefined);
        assertClose([loss.dataSync()[0]], [auto.value.dataSync()[0]], 1e-5, 'loss');
        vars.forEach((v, i) =>
          assertClose(grads[i].dataSync(), auto.grads[v.name].dataSync(), 1e-4, v.name),
        );
      });
    });
  },
);
