/**
 * Initial weights against the book's: for every parameter of the 4-layer model and of the
 * additive-attention variant, the TypeScript init (src/model/params.ts, pooled over 20 seeds)
 * must have the distribution PyTorch gives the book's model after train_seq2seq's
 * `net.apply(xavier_init_weights)` (pooled over 20 torch seeds; test/fixtures/init-stats.json
 * from test/reference/make_init_stats.py): Glorot-uniform Linear weights, PyTorch's default
 * U(±1/√fan_in) Linear biases, N(0, 1) embeddings, LayerNorm 1 / 0.
 *
 * Per parameter: the same shape; constants exactly; mean and standard deviation within 5
 * standard errors; the empirical CDF at PyTorch's 5 %…95 % quantiles within the two-sample
 * Kolmogorov–Smirnov bound at α = 0.001; and for bounded (uniform) parameters the extremes
 * near PyTorch's. The last block checks that these tolerances catch wrong inits: a wrong fan,
 * a normal instead of a uniform draw, a uniform embedding.
 */
import { strict as assert } from 'node:assert';
import { Transformer } from '../../src/model/transformer';
import { AttentionFunction } from '../../src/model/config';
import { selectBackend } from '../../src/backend/backend';
import { Rng } from '../../src/util/rng';
import { readFixture } from '../helpers/fixtures';

interface ParamStats {
  shape: number[];
  n: number;
  mean: number;
  std: number;
  kurtosis: number;
  min: number;
  max: number;
  quantiles: number[];
}

interface InitFixture {
  seeds: number;
  srcVocabSize: number;
  tgtVocabSize: number;
  quantiles: number[];
  models: Record<
    string,
    { numLayers: number; attentionFunction: AttentionFunction; params: Record<string, ParamStats> }
  >;
}

const fixture = readFixture<InitFixture>('init-stats.json');

/** Why `values` (pooled over the seeds) do not look drawn like PyTorch's `ref`; [] if they do. */
function initMismatches(values: Float32Array, ref: ParamStats, ps: number[]): string[] {
  const n = values.length;
  if (n !== ref.n) return [`${n} values, PyTorch ${ref.n}`];
  if (ref.std === 0) {
    const off = values.find((x) => x !== ref.min);
    return off === undefined ? [] : [`${off} in a constant ${ref.min}`];
  }
  const out: string[] = [];
  let sum = 0;
  for (const x of values) sum += x;
  const mean = sum / n;
  let sq = 0;
  for (const x of values) sq += (x - mean) ** 2;
  const std = Math.sqrt(sq / n);
  if (Math.abs(mean - ref.mean) > 5 * ref.std * Math.sqrt(2 / n)) {
    out.push(`mean ${mean.toPrecision(4)}, PyTorch ${ref.mean.toPrecision(4)}`);
  }
  // Standard error of a sample standard deviation: σ √((κ − 1) / 4n), twice over (two samples).
  const stdTol = 5 * Math.sqrt((2 * Math.max(ref.kurtosis - 1, 0.5)) / (4 * n));
  if (Math.abs(std / ref.std - 1) > stdTol) {
    out.push(`std ${std.toPrecision(4)}, PyTorch ${ref.std.toPrecision(4)}`);
  }
  const sorted = Float64Array.from(values).sort();
  let ks = 0;
  ref.quantiles.forEach((q, i) => (ks = Math.max(ks, Math.abs(cdf(sorted, q) - ps[i]))));
  const ksBound = 1.95 * Math.sqrt(2 / n);
  if (ks > ksBound) out.push(`KS distance ${ks.toFixed(3)} > ${ksBound.toFixed(3)}`);
  if (ref.kurtosis < 2.4) {
    // Bounded: the extremes of n uniform draws lie within a few range/n of the bounds.
    const tol = (ref.max - ref.min) * Math.max(0.01, 4 / n);
    const [lo, hi] = [sorted[0], sorted[n - 1]];
    if (Math.abs(lo - ref.min) > tol || Math.abs(hi - ref.max) > tol) {
      out.push(
        `range [${lo.toPrecision(4)}, ${hi.toPrecision(4)}], PyTorch [${ref.min}, ${ref.max}]`,
      );
    }
  }
  return out;
}

/** Share of `sorted` at or below x. */
function cdf(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo / sorted.length;
}

/** Our initial values of every parameter, pooled over seeds 0 … seeds-1. */
function pooledInit(numLayers: number, attentionFunction: AttentionFunction, seeds: number) {
  const pooled = new Map<string, { shape: number[]; parts: Float32Array[] }>();
  for (let seed = 0; seed < seeds; seed++) {
    const model = new Transformer(
      {
        numHiddens: 32,
        numLayers,
        numHeads: 4,
        ffnNumHiddens: 64,
        dropout: 0.1,
        srcVocabSize: fixture.srcVocabSize,
        tgtVocabSize: fixture.tgtVocabSize,
        attentionFunction,
      },
      seed,
    );
    for (const [name, v] of model.params.entries()) {
      const entry = pooled.get(name) ?? { shape: v.shape, parts: [] };
      entry.parts.push(Float32Array.from(v.dataSync() as Float32Array));
      pooled.set(name, entry);
    }
    model.dispose();
  }
  return new Map(
    [...pooled].map(([name, { shape, parts }]) => {
      const all = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
      parts.reduce((at, p) => (all.set(p, at), at + p.length), 0);
      return [name, { shape, values: all }] as const;
    }),
  );
}

describe('initial weights have the distribution of the book’s PyTorch init', function () {
  this.timeout(60000);
  before(async () => {
    await selectBackend('cpu');
  });

  for (const [label, m] of Object.entries(fixture.models)) {
    it(`every parameter of ${label} (${fixture.seeds} seeds a side)`, () => {
      const ours = pooledInit(m.numLayers, m.attentionFunction, fixture.seeds);
      assert.deepEqual([...ours.keys()].sort(), Object.keys(m.params).sort(), 'parameter names');
      const failures: string[] = [];
      for (const [name, ref] of Object.entries(m.params)) {
        const { shape, values } = ours.get(name)!;
        assert.deepEqual(shape, ref.shape, `${name}: shape`);
        for (const why of initMismatches(values, ref, fixture.quantiles)) {
          failures.push(`${name}: ${why}`);
        }
      }
      assert.deepEqual(failures, [], failures.slice(0, 10).join('\n'));
    });
  }

  describe('the tolerances reject a wrong init', () => {
    const params = fixture.models.dotProduct4.params;
    const draw = (n: number, f: (rng: Rng) => number) => {
      const rng = new Rng(99);
      return Float32Array.from({ length: n }, () => f(rng));
    };
    const uniform = (bound: number) => (rng: Rng) => (2 * rng.next() - 1) * bound;
    const normal = (sd: number) => (rng: Rng) =>
      sd * Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
    const check = (name: string, f: (rng: Rng) => number) =>
      initMismatches(draw(params[name].n, f), params[name], fixture.quantiles);
    const ffn1 = 'encoder.blks.block0.ffn.dense1.weight'; // (64, 32): Glorot bound √(6/96)
    const bias2 = 'decoder.blks.block3.ffn.dense2.bias'; // 32 values: U(±1/√64)

    it('accepts the right draws (the same checks, other random numbers)', () => {
      assert.deepEqual(check(ffn1, uniform(Math.sqrt(6 / 96))), []);
      assert.deepEqual(check(bias2, uniform(1 / 8)), []);
      assert.deepEqual(check('encoder.embedding.weight', normal(1)), []);
    });

    it('rejects a wrong fan, a normal draw of the right variance, a uniform embedding', () => {
      assert.notDeepEqual(check(ffn1, uniform(Math.sqrt(6 / 64))), [], 'fan 64 + 0');
      assert.notDeepEqual(check(ffn1, uniform(Math.sqrt(3 / 32))), [], "fan_in only (He's)");
      assert.notDeepEqual(check(ffn1, normal(Math.sqrt(2 / 96))), [], 'Glorot normal');
      assert.notDeepEqual(check(bias2, uniform(1 / Math.sqrt(32))), [], 'bias: fan_in 32');
      assert.notDeepEqual(check(bias2, normal(1 / 8 / Math.sqrt(3))), [], 'bias: normal');
      assert.notDeepEqual(
        check(bias2, () => 0),
        [],
        'bias: zeros',
      );
      assert.notDeepEqual(check('encoder.embedding.weight', uniform(Math.sqrt(3))), [], 'U(±√3)');
      const ln = 'encoder.blks.block0.addnorm1.ln.weight';
      assert.notDeepEqual(check(ln, uniform(1)), [], 'LayerNorm weight not 1');
    });
  });
});
