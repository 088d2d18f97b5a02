/**
 * Parity of AdditiveAttention with the book's PyTorch module: test/fixtures/parity-additive.json
 * was written by test/reference/make_fixtures.py (its state_dict names carry no prefix: W_k.weight,
 * W_q.weight, w_v.weight). Output and attention weights must agree within 1e-5 (relative, max
 * norm), gradients of output.sum() within 1e-4 (tfjs autodiff and the module's own backward pass
 on the training step's Tape), on cpu and wasm.
 */
import { strict as assert } from 'node:assert';
import { tf, Tensor } from '../../src/model/tf';
import { AdditiveAttention } from '../../src/model/additiveAttention';
import { maskFromValidLens } from '../../src/model/maskedSoftmax';
import { ParamStore } from '../../src/model/params';
import { Tape } from '../../src/model/tape';
import { Rng } from '../../src/util/rng';
import { selectBackend } from '../../src/backend/backend';
import { TensorJSON, assertClose, readFixture } from '../helpers/fixtures';

interface AdditiveFixture {
  config: { keySize: number; querySize: number; numHiddens: number; dropout: number };
  params: Record<string, TensorJSON>;
  queries: TensorJSON;
  keys: TensorJSON;
  values: TensorJSON;
  validLens: TensorJSON;
  output: TensorJSON;
  attentionWeights: TensorJSON;
  grads: Record<string, TensorJSON>;
  inputGrads: Record<'queries' | 'keys' | 'values', TensorJSON>;
}

const fx = readFixture<AdditiveFixture>('parity-additive.json');
const FWD = 1e-5;
const GRAD = 1e-4;

function float(t: TensorJSON): Tensor {
  return tf.tensor(Float32Array.from(t.data), t.shape, 'float32');
}

function int(t: TensorJSON): Tensor {
  return tf.tensor(Int32Array.from(t.data), t.shape, 'int32');
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`AdditiveAttention parity with the book's PyTorch code (${backend} backend)`, () => {
    let store: ParamStore;
    let att: AdditiveAttention;
    let inputs: { queries: Tensor; keys: Tensor; values: Tensor; validLens: Tensor };

    before(async () => {
      const info = await selectBackend(backend);
      assert.equal(info.name, backend, info.reason);
      const c = fx.config;
      store = new ParamStore(new Rng(0));
      att = new AdditiveAttention(store, '', c.keySize, c.querySize, c.numHiddens);
      store.load(fx.params);
      inputs = {
        queries: float(fx.queries),
        keys: float(fx.keys),
        values: float(fx.values),
        validLens: int(fx.validLens),
      };
    });
    after(() => {
      store.dispose();
      for (const t of Object.values(inputs)) t.dispose();
    });

    it('has the PyTorch state_dict names and shapes', () => {
      assert.deepEqual(store.names().sort(), Object.keys(fx.params).sort());
      for (const [name, v] of store.entries()) {
        assert.deepEqual(v.shape, fx.params[name]!.shape, name);
      }
    });

    it('output and attention weights with 1-D valid lengths', () => {
      const { output, weights } = tf.tidy(() => {
        const { queries, keys, values, validLens } = inputs;
        const r = att.apply(queries, keys, values, validLens, fx.config.dropout, {
          training: false,
        });
        return { output: r.output, weights: r.weights };
      });
      assert.deepEqual(output.shape, fx.output.shape);
      assert.deepEqual(weights.shape, fx.attentionWeights.shape);
      assertClose(output.dataSync(), fx.output, FWD, 'output');
      assertClose(weights.dataSync(), fx.attentionWeights, FWD, 'attention weights');
      tf.dispose([output, weights]);
    });

    it('a float mask gives the same as the valid lengths it came from', () => {
      const output = tf.tidy(() => {
        const { queries, keys, values, validLens } = inputs;
        const mask = maskFromValidLens(validLens, keys.shape[1]!);
        return att.apply(queries, keys, values, mask, 0, { training: false }).output;
      });
      assertClose(output.dataSync(), fx.output, FWD, 'output (mask)');
      output.dispose();
    });

    it('gradients of sum(output) w.r.t. the weights and the inputs', () => {
      const { queries, keys, values, validLens } = inputs;
      const forward = (q: Tensor, k: Tensor, v: Tensor): tf.Scalar =>
        att.apply(q, k, v, validLens, 0, { training: false }).output.sum();
      const { value, grads } = tf.variableGrads(() => forward(queries, keys, values));
      const byVar = new Map(store.entries().map(([name, v]) => [v.name, name]));
      assert.equal(Object.keys(grads).length, 3);
      for (const [varName, g] of Object.entries(grads)) {
        const name = byVar.get(varName)!;
        assert.ok(name, `unknown variable ${varName}`);
        assert.deepEqual(g.shape, fx.grads[name]!.shape, name);
        assertClose(g.dataSync(), fx.grads[name]!, GRAD, `grad ${name}`);
      }
      tf.dispose([value, ...Object.values(grads)]);

      const inputGrads = tf.grads((q: Tensor, k: Tensor, v: Tensor) => forward(q, k, v))([
        queries,
        keys,
        values,
      ]);
      (['queries', 'keys', 'values'] as const).forEach((n, i) => {
        assertClose(inputGrads[i]!.dataSync(), fx.inputGrads[n], GRAD, `grad ${n}`);
      });
      tf.dispose(inputGrads);
    });

    it('the same gradients from its backward pass on the Tape (the training step)', () => {
      const before = tf.memory().numTensors;
      tf.tidy(() => {
        const { queries, keys, values, validLens } = inputs;
        const tape = new Tape();
        const ctx = { training: true, tape };
        const { output } = att.apply(queries, keys, values, validLens, 0, ctx);
        tape.backward(output, tf.onesLike(output));
        for (const [name, v] of store.entries()) {
          const g = tape.gradOf(v);
          assert.ok(g, `no gradient reached ${name}`);
          assertClose(g.dataSync(), fx.grads[name]!, GRAD, `tape grad ${name}`);
        }
        for (const [n, t] of [
          ['queries', queries],
          ['keys', keys],
          ['values', values],
        ] as const) {
          const g = tape.gradOf(t);
          assert.ok(g, `no gradient reached ${n}`);
          assertClose(g.dataSync(), fx.inputGrads[n], GRAD, `tape grad ${n}`);
        }
      });
      assert.equal(tf.memory().numTensors, before, 'tensors left by the tape');
    });
  });
}
