/**
 * The training step's fast gradient path (ops recorded on a Tape, src/model/tape.ts) against the
 * book's PyTorch gradients in test/fixtures/parity-dot.json and against tf.variableGrads of the
 * public forward pass, on cpu and wasm. The parity suite checks the forward pass and three Adam
 * steps; Adam hides gradient magnitudes (it normalises them), so this checks them directly.
 */
import { strict as assert } from 'node:assert';
import { tf } from '../../src/model/tf';
import { tidyKeep } from '../../src/model/tidy';
import { trainStep } from '../../src/train/trainStep';
import { BookAdam, readFlat } from '../../src/train/adam';
import { dropoutMask } from '../../src/model/ops/dropout';
import { currentFastPath, fastPathOf } from '../../src/model/ops/fastPath';
import { HostBuffers } from '../../src/model/ops/hostBuffers';
import { selectBackend } from '../../src/backend/backend';
import { Rng } from '../../src/util/rng';
import { TensorJSON, assertClose, readFixture } from '../helpers/fixtures';
import {
  assertTapeGradientsMatch,
  assertTapeMatchesAutodiff,
  describeOnEachBackend,
} from '../helpers/parityChecks';
import { fixtureInputs, modelFromFixture } from '../helpers/parityModel';

interface Fixture {
  config: Record<string, number>;
  params: Record<string, TensorJSON>;
  inputs: Record<'encX' | 'encValidLens' | 'decX' | 'labels' | 'labelValidLens', TensorJSON>;
  train: { lossSum: number; grads: Record<string, TensorJSON>; gradNorm: number };
}

const fx = readFixture<Fixture>('parity-dot.json');

const buildModel = (dropout = fx.config.dropout) => modelFromFixture(fx, { dropout });
const inputs = () => fixtureInputs(fx);

describeOnEachBackend(
  (backend) => `tape gradients (${backend} backend)`,
  buildModel,
  (model) => {
    it('match PyTorch: loss within 1e-5, every gradient and the norm within 1e-4', () => {
      assertTapeGradientsMatch(model(), inputs, fx.train, 1e-4);
    });

    it('match tf.variableGrads of the public forward pass within 1e-5', () => {
      const loss = assertTapeMatchesAutodiff(model(), inputs, undefined);
      assert.ok(Math.abs(loss - fx.train.lossSum) < 1e-5, 'no dropout: the fixture loss');
    });

    it('with dropout: same masks, same forward as the public pass, gradients like autodiff', () => {
      const dropped = buildModel(0.3);
      try {
        const loss = assertTapeMatchesAutodiff(dropped, inputs, 42);
        assert.ok(Math.abs(loss - fx.train.lossSum) > 1e-3, 'dropout was on');
      } finally {
        dropped.dispose();
      }
    });

    it('the fast path without its fused WebAssembly kernels (their tfjs ops) too', () => {
      // wasm's own path where its kernels do not load (no SIMD): layer norm, masked softmax and
      // additive scores as tfjs ops; on cpu the same as above
      const noKernels = { ...currentFastPath(), kernels: null };
      const dropped = buildModel(0.3);
      try {
        assertTapeMatchesAutodiff(dropped, inputs, 42, noKernels);
      } finally {
        dropped.dispose();
      }
    });

    it("the generic fast path (a GPU backend's: gather embedding, batched products) too", () => {
      // The paths a backend without host memory takes, run here by passing its FastPath.
      const generic = fastPathOf('tensorflow');
      assert.equal(generic.hostMemory || generic.groupedAttention, false);
      const dropped = buildModel(0.3);
      try {
        assertTapeMatchesAutodiff(dropped, inputs, 42, generic);
      } finally {
        dropped.dispose();
      }
    });
  },
);

describe('BookAdam', () => {
  before(() => selectBackend('cpu'));

  it('is torch.optim.Adam: two steps of hand-computed values, with clipping', () => {
    const w = tf.variable(tf.tensor1d([1, -2]), true, 'bookAdamTest');
    const adam = new BookAdam(0.1);
    try {
      // Gradient norm 5 > clip 1: scaled to (0.6, 0.8); Adam's first step moves by lr * sign.
      const norm = adam.applyFlat([w], Float32Array.from([3, 4]), 1);
      assert.ok(Math.abs(norm - 5) < 1e-6);
      const after1 = w.dataSync();
      assert.ok(Math.abs(after1[0] - 0.9) < 1e-6 && Math.abs(after1[1] + 2.1) < 1e-6);
      // Second step, no clipping (norm 0.5): m = 0.9 m + 0.1 g, v = 0.999 v + 0.001 g^2.
      adam.applyFlat([w], Float32Array.from([0.3, 0.4]), 1);
      const g1 = [0.6, 0.8];
      const g2 = [0.3, 0.4];
      const expected = [0.9, -2.1].map((p, i) => {
        const m = 0.9 * 0.1 * g1[i] + 0.1 * g2[i];
        const v = 0.999 * 0.001 * g1[i] ** 2 + 0.001 * g2[i] ** 2;
        const denom = Math.sqrt(v) / Math.sqrt(1 - 0.999 ** 2) + 1e-8;
        return p - (0.1 / (1 - 0.9 ** 2)) * (m / denom);
      });
      assertClose(w.dataSync(), expected, 1e-6, 'second step');
      assert.equal(adam.stepCount, 2);
    } finally {
      adam.dispose();
      w.dispose();
    }
  });

  it('picks up a value assigned from outside between steps', () => {
    const w = tf.variable(tf.tensor1d([1]), true, 'bookAdamTest2');
    const adam = new BookAdam(0.1);
    try {
      adam.applyFlat([w], Float32Array.from([1]));
      w.assign(tf.tensor1d([5]));
      adam.applyFlat([w], Float32Array.from([1]));
      assert.ok(w.dataSync()[0] < 5 && w.dataSync()[0] > 4.8, `${w.dataSync()[0]}`);
    } finally {
      adam.dispose();
      w.dispose();
    }
  });

  it('is told apart from other optimizers; trainStep still runs tf.train.adam', () => {
    const other = tf.train.adam(0.01);
    assert.equal(other instanceof BookAdam, false);
    assert.equal(new BookAdam(0.01) instanceof BookAdam, true);
    const model = buildModel();
    try {
      const x = inputs();
      const before = model.params.get('decoder.dense.bias').dataSync().slice();
      const loss = trainStep(model, other, x, new Rng(0), 1);
      assertClose([loss.dataSync()[0]], [fx.train.lossSum], 1e-5, 'loss');
      loss.dispose();
      tf.dispose(Object.values(x));
      const after = model.params.get('decoder.dense.bias').dataSync();
      assert.ok(
        after.some((v, i) => v !== before[i]),
        'tf.train.adam updated the parameters',
      );
    } finally {
      other.dispose();
      model.dispose();
    }
  });

  it('reads tensors end to end with readFlat', () => {
    const flat = tidyKeep(() => readFlat([tf.tensor1d([1, 2]), tf.tensor2d([[3], [4]])]));
    assert.deepEqual([...flat], [1, 2, 3, 4]);
  });
});

describe('dropoutMask', () => {
  it('drops about `rate` of the entries, scales the rest by 1/(1-rate), is seeded', () => {
    const m = dropoutMask(100001, 0.1, 7);
    const dropped = m.filter((x) => x === 0).length / m.length;
    assert.ok(Math.abs(dropped - 0.1) < 0.005, `dropped ${dropped}`);
    assert.ok(m.every((x) => x === 0 || x === Math.fround(1 / 0.9)));
    assert.deepEqual(dropoutMask(1001, 0.1, 7), dropoutMask(1001, 0.1, 7));
    assert.notDeepEqual(dropoutMask(1001, 0.1, 7), dropoutMask(1001, 0.1, 8));
  });
});

describe('HostBuffers', () => {
  it('reuses one buffer per slot and size where uploads copy (wasm), else gives fresh ones', () => {
    const pool = new HostBuffers(true);
    const a = pool.get('upload', 8);
    assert.equal(pool.get('upload', 8), a, 'same slot and size: the same buffer');
    assert.notEqual(pool.get('draw', 8), a, 'another slot: its own buffer');
    assert.notEqual(pool.get('encoderEmbeddingMask', 8), pool.get('decoderEmbeddingMask', 8));
    assert.notEqual(pool.get('upload', 16), a, 'another size: its own buffer');
    const fresh = new HostBuffers(false);
    assert.notEqual(fresh.get('upload', 8), fresh.get('upload', 8));
    assert.equal(fastPathOf('wasm').buffers.reuse, true);
    assert.equal(fastPathOf('cpu').buffers.reuse, false);
  });
});
