/**
 * What the parity suites (test/parity/model.test.ts, additive-model.test.ts and
 * test/unit/perf-gradients.test.ts) do on each backend: run their tests once per backend with a
 * model of the fixture's weights, and compare the forward pass and the gradients (tfjs autodiff
 * and the training step's Tape) with PyTorch's.
 */
import { strict as assert } from 'node:assert';
import { selectBackend } from '../../src/backend/backend';
import { tf, Tensor } from '../../src/model/tf';
import { tidyKeep } from '../../src/model/tidy';
import type { Transformer } from '../../src/model/transformer';
import type { ForwardContext } from '../../src/model/context';
import type { BatchTensors } from '../../src/train/batch';
import { clipByGlobalNorm } from '../../src/train/gradClip';
import { maskedSoftmaxCELoss } from '../../src/train/loss';
import type { FastPath } from '../../src/model/ops/fastPath';
import { batchLoss, tapeGradients } from '../../src/train/trainStep';
import { Rng } from '../../src/util/rng';
import { TensorJSON, assertClose } from './fixtures';

/** The backends the tests can start here: tfjs's reference cpu kernels and wasm (the
 * extension's default). */
export const PARITY_BACKENDS = ['cpu', 'wasm'] as const;
export type ParityBackend = (typeof PARITY_BACKENDS)[number];

/**
 * One describe() per backend, titled `title(backend)`: the backend is selected before its tests
 * (and checked: one that did not start fails the suite instead of falling back to another) and
 * `build` makes the model they share, disposed after them. `tests` gets the model's getter.
 */
export function describeOnEachBackend(
  title: (backend: ParityBackend) => string,
  build: () => Transformer,
  tests: (model: () => Transformer) => void,
): void {
  for (const backend of PARITY_BACKENDS) {
    describe(title(backend), () => {
      let model: Transformer | undefined;
      before(async () => {
        const info = await selectBackend(backend);
        assert.equal(info.name, backend, info.reason);
        model = build();
      });
      after(() => model?.dispose());
      tests(() => {
        if (!model) throw new Error(`no model: the ${backend} backend did not start`);
        return model;
      });
    });
  }
}

/** What PyTorch computed in training mode on the fixture's batch. */
export interface ForwardFixture {
  encoderAttention: TensorJSON[];
  decoderSelfAttention: TensorJSON[];
  decoderEncDecAttention: TensorJSON[];
  logits: TensorJSON;
  lossPerSequence: TensorJSON | number[];
  /** Absent: not checked (the head-mask fixture has only the per-sequence loss). */
  lossSum?: number;
}

/** The attention weights of every layer, the logits and the loss of a forward pass on `x` (in
 * training mode unless `ctx` says otherwise) against PyTorch's, within `tol` (relative, max
 * norm). Call inside tf.tidy. */
export function assertForwardMatches(
  model: Transformer,
  x: BatchTensors,
  t: ForwardFixture,
  tol: number,
  ctx: ForwardContext = { training: true },
): void {
  const out = model.apply(x.encX, x.encValidLens, x.decX, ctx);
  const layers = (weights: Tensor[], expected: TensorJSON[], what: string) => {
    assert.equal(weights.length, expected.length, `${what} layers`);
    weights.forEach((w, i) => assertClose(w.dataSync(), expected[i], tol, `${what} ${i}`));
  };
  layers(out.encoderWeights, t.encoderAttention, 'encoder attention');
  layers(out.decoderSelfWeights, t.decoderSelfAttention, 'decoder self-attention');
  layers(out.crossWeights, t.decoderEncDecAttention, 'enc-dec attention');
  assertClose(out.logits.dataSync(), t.logits, tol, 'logits');
  const perSeq = maskedSoftmaxCELoss(out.logits, x.labels, x.labelValidLens);
  assertClose(perSeq.dataSync(), t.lossPerSequence, tol, 'loss per sequence');
  if (t.lossSum !== undefined) {
    assertClose([tf.sum(perSeq).dataSync()[0]], [t.lossSum], tol, 'loss sum');
  }
}

/** PyTorch's gradients on the fixture's batch, by parameter name, and their global norm. */
export interface GradientFixture {
  grads: Record<string, TensorJSON>;
  gradNorm: number;
}

/** tf.variableGrads of the training-mode loss on the batch `x()` makes: every parameter's
 * gradient and the global gradient norm against PyTorch's, within `tol`. */
export function assertAutodiffGradientsMatch(
  model: Transformer,
  x: () => BatchTensors,
  t: GradientFixture,
  tol: number,
): void {
  const grads = tidyKeep(() => {
    const batch = x(); // outside the loss function: the backward pass reads the token ids
    const { grads } = tf.variableGrads(
      () => batchLoss(model, batch, { training: true }) as tf.Scalar,
      model.params.variables(),
    );
    return { grads, norm: clipByGlobalNorm(grads, 1).norm };
  });
  try {
    const byName = new Map(model.params.entries().map(([n, v]) => [v.name, n]));
    for (const [varName, g] of Object.entries(grads.grads)) {
      const name = byName.get(varName);
      assert.ok(name, `variable ${varName} is not a parameter`);
      assertClose(g.dataSync(), t.grads[name], tol, `grad ${name}`);
    }
    assert.equal(Object.keys(grads.grads).length, Object.keys(t.grads).length);
    assertClose([grads.norm.dataSync()[0]], [t.gradNorm], tol, 'grad norm');
  } finally {
    tf.dispose([...Object.values(grads.grads), grads.norm]);
  }
}

/**
 * The training step's gradients (tapeGradients: the Tape, on the current backend's fast path)
 * on the batch `x()` against PyTorch's: the loss within `tol` / 10, every parameter's gradient
 * and the global norm within `tol`; and no tensor left behind.
 */
export function assertTapeGradientsMatch(
  model: Transformer,
  x: () => BatchTensors,
  t: GradientFixture & { lossSum: number },
  tol: number,
): void {
  const before = tf.memory().numTensors;
  tf.tidy(() => {
    const { loss, grads } = tapeGradients(model, x(), new Rng(0));
    assertClose([loss.dataSync()[0]], [t.lossSum], tol / 10, 'loss sum');
    const names = model.params.names();
    let sq = 0;
    grads.forEach((g, i) => {
      const data = g.dataSync();
      for (const v of data) sq += v * v;
      assertClose(data, t.grads[names[i]], tol, `grad ${names[i]}`);
    });
    assertClose([Math.sqrt(sq)], [t.gradNorm], tol, 'grad norm');
  });
  assert.equal(tf.memory().numTensors, before, 'tensors left by the tape step');
}

/**
 * Asserts that tapeGradients gives tf.variableGrads' loss and gradients of the public forward
 * pass within 1e-5, both with dropout seeded from `seed` (none: Math.random, only right without
 * dropout), on `fastPath` (the current backend's when absent). Returns the loss.
 */
export function assertTapeMatchesAutodiff(
  m: Transformer,
  x: () => BatchTensors,
  seed: number | undefined,
  fastPath?: FastPath,
): number {
  const rng = () => (seed === undefined ? undefined : new Rng(seed));
  return tf.tidy(() => {
    const batch = x();
    const vars = m.params.variables();
    const auto = tf.variableGrads(
      () => batchLoss(m, batch, { training: true, rng: rng() }) as tf.Scalar,
      vars,
    );
    const { loss, grads } = tapeGradients(m, batch, rng(), fastPath);
    assertClose([loss.dataSync()[0]], [auto.value.dataSync()[0]], 1e-5, 'loss');
    vars.forEach((v, i) =>
      assertClose(grads[i].dataSync(), auto.grads[v.name].dataSync(), 1e-5, v.name),
    );
    return loss.dataSync()[0];
  });
}
