/**
 * Dropout where the book has it: with the weights and the batch of parity-dot.json and every
 * dropout rate at 0.5, the training step's loss and gradients over random masks (400 on wasm, 150 on cpu; PyTorch: 400) must be
 * distributed as the book's PyTorch model's (test/fixtures/dropout-stats.json from
 * test/reference/make_dropout_stats.py). The masks cannot be shared, but the sites (positional
 * encoding, attention weights, each AddNorm's sub-layer output), the rate and the 1 / (1 - p)
 * scaling all shape these distributions: mean loss and mean global gradient norm within 5
 * standard errors, and the mean gradient over the masks of four parameters (both ends of the
 * encoder, the output layer) within chi²/d < 1.35 (the book against itself with other masks:
 * 0.99); the loss's standard deviation and the median coordinate variance within 25 % / 20 %. The fixture also holds what the book's model gives with one kind of site switched off
 * or without rescaling: the last test checks that these bounds reject each of them.
 */
import { strict as assert } from 'node:assert';
import { tf } from '../../src/model/tf';
import { tapeGradients } from '../../src/train/trainStep';
import { selectBackend } from '../../src/backend/backend';
import { Rng } from '../../src/util/rng';
import { readFixture } from '../helpers/fixtures';
import { ModelFixture, fixtureInputs, modelFromFixture } from '../helpers/parityModel';

interface Summary {
  lossMean: number;
  lossStd: number;
  gradNormMean: number;
  gradNormStd: number;
}

interface DropoutFixture {
  rate: number;
  draws: number;
  coords: string[];
  book: Summary & { coordMean: number[]; coordVar: number[] };
  bookAgainstItself: number;
  wrongPlacements: Record<string, Summary & { chi2PerCoord: number }>;
}

const fx = readFixture<DropoutFixture>('dropout-stats.json');
const CHI2_BOUND = 1.35;

interface Sample {
  mean: number;
  std: number;
  n: number;
}

/** |mean difference| in standard errors of the difference. */
function zScore(a: Sample, b: Sample) {
  return Math.abs(a.mean - b.mean) / Math.sqrt(a.std ** 2 / a.n + b.std ** 2 / b.n);
}

function sample(xs: number[]): Sample {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const v = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1);
  return { mean, std: Math.sqrt(v), n: xs.length };
}

/** Loss, gradient norm and the `fx.coords` gradients of `n` training steps. */
function ourDraws(n: number) {
  const parity = readFixture<ModelFixture>('parity-dot.json');
  const model = modelFromFixture(parity, { dropout: fx.rate });
  const t = fixtureInputs(parity);
  const names = model.params.names();
  const picked = fx.coords.map((c) => names.indexOf(c));
  assert.ok(!picked.includes(-1), `the model has ${fx.coords.join(', ')}`);
  const rng = new Rng(2024);
  const losses: number[] = [];
  const norms: number[] = [];
  const sum = new Float64Array(fx.book.coordMean.length);
  const sq = new Float64Array(sum.length);
  try {
    for (let i = 0; i < n; i++) {
      tf.tidy(() => {
        const { loss, grads } = tapeGradients(model, t, rng);
        losses.push(loss.dataSync()[0]);
        let norm = 0;
        for (const g of grads) for (const x of g.dataSync()) norm += x * x;
        norms.push(Math.sqrt(norm));
        let k = 0;
        for (const p of picked) {
          for (const x of grads[p].dataSync()) {
            sum[k] += x;
            sq[k++] += x * x;
          }
        }
      });
    }
  } finally {
    model.dispose();
    tf.dispose(Object.values(t));
  }
  const coordMean = Array.from(sum, (s) => s / n);
  const coordVar = Array.from(sq, (s, k) => (s - n * coordMean[k] ** 2) / (n - 1));
  return { losses, norms, coordMean, coordVar };
}

describe('dropout is placed, scaled and drawn as in the book', function () {
  this.timeout(300000);
  // wasm: the training path (time-major, grouped attention); cpu: the batch-major one, with
  // fewer draws (it is twice as slow); the bounds use each side's own number of draws.
  for (const [backend, draws] of [
    ['wasm', 400],
    ['cpu', 150],
  ] as const) {
    it(`loss and gradient distributions over masks match PyTorch's (${backend})`, async () => {
      await selectBackend(backend);
      const ours = ourDraws(draws);
      const book = fx.book;
      const nb = fx.draws;
      const loss = sample(ours.losses);
      const norm = sample(ours.norms);
      const zLoss = zScore(loss, { mean: book.lossMean, std: book.lossStd, n: nb });
      const zNorm = zScore(norm, { mean: book.gradNormMean, std: book.gradNormStd, n: nb });
      let chi2 = 0;
      let d = 0;
      ours.coordMean.forEach((m, k) => {
        if (book.coordVar[k] === 0) {
          // A token absent from the batch: its embedding row gets no gradient on either side.
          assert.equal(m, 0, `coordinate ${k} has a gradient where PyTorch has none`);
          return;
        }
        const v = ours.coordVar[k] / draws + book.coordVar[k] / nb;
        chi2 += (m - book.coordMean[k]) ** 2 / v;
        d++;
      });
      // Spreads too (masks correlated across sites would widen them): the loss's standard
      // deviation, and the median over the coordinates of our variance over PyTorch's (PyTorch
      // against itself with other masks: 0.99-1.02; heavy tails make a mean of ratios useless).
      const stdRatio = loss.std / book.lossStd;
      const varRatios = book.coordVar
        .map((v, k) => (v > 0 ? ours.coordVar[k] / v : NaN))
        .filter((x) => !Number.isNaN(x))
        .sort((x, y) => x - y);
      const medianVarRatio = varRatios[varRatios.length >> 1];
      const report =
        `loss ${loss.mean.toFixed(3)} (PyTorch ${book.lossMean.toFixed(3)}, z ${zLoss.toFixed(2)}), ` +
        `gradient norm ${norm.mean.toFixed(2)} (PyTorch ${book.gradNormMean.toFixed(2)}, ` +
        `z ${zNorm.toFixed(2)}), chi²/d ${(chi2 / d).toFixed(3)} over ${d} coordinates, ` +
        `loss std ratio ${stdRatio.toFixed(3)}, median variance ratio ${medianVarRatio.toFixed(3)}`;
      assert.ok(zLoss < 5 && zNorm < 5 && chi2 / d < CHI2_BOUND, report);
      assert.ok(Math.abs(Math.log(stdRatio)) < Math.log(1.25), report);
      assert.ok(Math.abs(Math.log(medianVarRatio)) < Math.log(1.2), report);
    });
  }

  it('the bounds reject dropout placed or scaled otherwise (PyTorch variants)', () => {
    assert.ok(fx.bookAgainstItself < CHI2_BOUND);
    const book = fx.book;
    for (const [name, w] of Object.entries(fx.wrongPlacements)) {
      const n = fx.draws;
      const zLoss = zScore(
        { mean: w.lossMean, std: w.lossStd, n },
        { mean: book.lossMean, std: book.lossStd, n },
      );
      const zNorm = zScore(
        { mean: w.gradNormMean, std: w.gradNormStd, n },
        { mean: book.gradNormMean, std: book.gradNormStd, n },
      );
      assert.ok(
        zLoss >= 5 || zNorm >= 5 || w.chi2PerCoord >= CHI2_BOUND,
        `${name} would pass: z ${zLoss.toFixed(2)} / ${zNorm.toFixed(2)}, chi²/d ${w.chi2PerCoord}`,
      );
    }
  });
});
