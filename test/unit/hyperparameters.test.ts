/** validateHyperparameters: defaults, limits, and messages that name the setting. */
import { strict as assert } from 'node:assert';
import {
  DEFAULT_HYPERPARAMETERS,
  Hyperparameters,
  LIMITS,
  examplesShortfall,
  validateHyperparameters,
} from '../../src/config/hyperparameters';

/** The errors for `input`; fails if it validates. */
function errorsOf(input: unknown, prefix?: string): string[] {
  const r = validateHyperparameters(input, prefix);
  assert.equal(r.ok, false, `${JSON.stringify(input)} should be rejected`);
  return r.ok ? [] : r.errors;
}

/** The single error for `input`. */
function errorOf(input: unknown, prefix?: string): string {
  const errors = errorsOf(input, prefix);
  assert.equal(errors.length, 1, errors.join(' | '));
  return errors[0];
}

describe('validateHyperparameters', () => {
  it("accepts the book's defaults and fills missing keys with them", () => {
    assert.deepEqual(validateHyperparameters({ ...DEFAULT_HYPERPARAMETERS }), {
      ok: true,
      value: DEFAULT_HYPERPARAMETERS,
    });
    assert.deepEqual(validateHyperparameters({}), { ok: true, value: DEFAULT_HYPERPARAMETERS });
    const r = validateHyperparameters({ numLayers: 1, dropout: 0 });
    assert.ok(r.ok);
    assert.deepEqual(r.value, { ...DEFAULT_HYPERPARAMETERS, numLayers: 1, dropout: 0 });
    assert.deepEqual(
      Object.keys(LIMITS).sort(),
      Object.keys(DEFAULT_HYPERPARAMETERS).sort(),
      'every setting has limits',
    );
    // The book's 10.7 experiment.
    assert.deepEqual(
      {
        numHiddens: DEFAULT_HYPERPARAMETERS.numHiddens,
        numLayers: DEFAULT_HYPERPARAMETERS.numLayers,
        numHeads: DEFAULT_HYPERPARAMETERS.numHeads,
        ffnNumHiddens: DEFAULT_HYPERPARAMETERS.ffnNumHiddens,
        dropout: DEFAULT_HYPERPARAMETERS.dropout,
        batchSize: DEFAULT_HYPERPARAMETERS.batchSize,
        numSteps: DEFAULT_HYPERPARAMETERS.numSteps,
        learningRate: DEFAULT_HYPERPARAMETERS.learningRate,
        numEpochs: DEFAULT_HYPERPARAMETERS.numEpochs,
      },
      {
        numHiddens: 32,
        numLayers: 2,
        numHeads: 4,
        ffnNumHiddens: 64,
        dropout: 0.1,
        batchSize: 64,
        numSteps: 10,
        learningRate: 0.005,
        numEpochs: 200,
      },
    );
  });

  it('accepts values on the inclusive bounds', () => {
    const r = validateHyperparameters({ numHeads: 1, numLayers: 12, dropout: 0, seed: 0 });
    assert.ok(r.ok, JSON.stringify(r));
    assert.ok(validateHyperparameters({ dropout: 0.99 }).ok);
  });

  it('names numHeads when it is 0', () => {
    const e = errorOf({ numHeads: 0 });
    assert.match(e, /^numHeads \(attention heads per layer\) must be at least 1/);
    assert.match(e, /\(got 0\)$/);
  });

  it('rejects dropout 1 and -0.1, naming dropout', () => {
    assert.match(errorOf({ dropout: 1 }), /^dropout \(dropout rate\) .*below 1 \(got 1\)$/);
    assert.match(errorOf({ dropout: -0.1 }), /^dropout .*at least 0 .*\(got -0\.1\)$/);
  });

  it('names numHiddens and numHeads when the heads do not divide the width', () => {
    const e = errorOf({ numHiddens: 30, numHeads: 4 });
    assert.match(e, /numHiddens \(30\) must be divisible by numHeads \(4\)/);
  });

  it('rejects an odd numHiddens (the positional encoding pairs columns)', () => {
    assert.match(errorOf({ numHiddens: 9, numHeads: 3 }), /numHiddens \(9\) must be even/);
  });

  it('rejects non-integer counts and non-numbers, naming the setting', () => {
    assert.equal(errorOf({ numLayers: 1.5 }), 'numLayers must be a whole number (got 1.5)');
    assert.equal(errorOf({ numEpochs: '10' }), 'numEpochs must be a number (got "10")');
    assert.equal(errorOf({ learningRate: 'fast' }), 'learningRate must be a number (got "fast")');
    assert.equal(errorOf({ numSteps: NaN }), 'numSteps must be a number (got NaN)');
    assert.match(errorOf({ numSteps: Infinity }), /^numSteps must be a number/);
    assert.match(errorOf({ seed: null }), /^seed must be a number \(got null\)$/);
    assert.match(errorOf({ learningRate: 0 }), /^learningRate .*at least 1e-7/);
  });

  it('rejects unknown keys, also ones that exist on every object', () => {
    assert.equal(errorOf({ numHidden: 8 }), 'Unknown hyperparameter(s): numHidden');
    assert.equal(
      errorOf({ toString: 1, constructor: 2 }),
      'Unknown hyperparameter(s): toString, constructor',
    );
  });

  it('reports every bad setting at once', () => {
    const errors = errorsOf({ numHeads: 0, dropout: 2, batchSize: 'x', extra: true });
    assert.equal(errors.length, 4, errors.join(' | '));
    assert.match(errors[0], /^numHeads/);
    assert.match(errors[1], /^dropout/);
    assert.match(errors[2], /^batchSize/);
    assert.match(errors[3], /extra/);
  });

  it('puts the prefix in front of every setting it names', () => {
    const p = 'transformer.';
    assert.match(errorOf({ numHeads: 0 }, p), /^transformer\.numHeads \(/);
    assert.match(errorOf({ numLayers: 2.5 }, p), /^transformer\.numLayers must be a whole number/);
    assert.match(
      errorOf({ numHiddens: 30, numHeads: 4 }, p),
      /^transformer\.numHiddens \(30\) must be divisible by transformer\.numHeads \(4\)/,
    );
    assert.equal(errorOf({ bogus: 1 }, p), 'Unknown hyperparameter(s): transformer.bogus');
  });

  it('rejects anything but a plain object', () => {
    for (const input of [null, undefined, 5, 'numHeads=4', [DEFAULT_HYPERPARAMETERS]]) {
      assert.deepEqual(errorsOf(input), ['Hyperparameters must be an object']);
    }
  });

  it('returns a copy, not the defaults object', () => {
    const r = validateHyperparameters({});
    assert.ok(r.ok);
    (r.value as Hyperparameters).numLayers = 5;
    assert.equal(DEFAULT_HYPERPARAMETERS.numLayers, 2);
  });

  it("defaults attentionFunction to 'dotProduct' and accepts 'additive'", () => {
    assert.equal(DEFAULT_HYPERPARAMETERS.attentionFunction, 'dotProduct');
    const r = validateHyperparameters({ attentionFunction: 'additive' });
    assert.ok(r.ok);
    assert.deepEqual(r.value, { ...DEFAULT_HYPERPARAMETERS, attentionFunction: 'additive' });
    // A checkpoint or settings object from before the setting existed reads as dot-product.
    const old: Record<string, unknown> = { ...DEFAULT_HYPERPARAMETERS, numLayers: 1 };
    delete old.attentionFunction;
    const o = validateHyperparameters(old);
    assert.ok(o.ok);
    assert.equal(o.value.attentionFunction, 'dotProduct');
    assert.deepEqual(LIMITS.attentionFunction.choices, ['dotProduct', 'additive']);
  });

  it('rejects any other attentionFunction, naming the setting and the choices', () => {
    const p = 'transformer.';
    assert.equal(
      errorOf({ attentionFunction: 'dot' }, p),
      'transformer.attentionFunction (attention scoring function) must be "dotProduct" or ' +
        '"additive" (got "dot")',
    );
    assert.match(errorOf({ attentionFunction: 1 }), /^attentionFunction .*\(got 1\)$/);
    assert.match(errorOf({ attentionFunction: null }), /^attentionFunction .*\(got null\)$/);
    assert.match(errorOf({ attentionFunction: 'Additive' }), /\(got "Additive"\)$/);
    const errors = errorsOf({ numHeads: 0, attentionFunction: 'x' });
    assert.equal(errors.length, 2, errors.join(' | '));
    assert.match(errors[1], /^attentionFunction/);
  });
});

describe('examplesShortfall', () => {
  it('says nothing when the corpus has the pairs asked for (the book reads one more)', () => {
    assert.equal(examplesShortfall(600, 601, '--examples'), null);
    assert.equal(examplesShortfall(30, 30, '--examples'), null);
  });

  it('names the setting, the number asked for and the pairs used when the corpus ran out', () => {
    assert.equal(
      examplesShortfall(200000, 167130, 'transformer.numExamples'),
      'transformer.numExamples is 200000 but the corpus has only 167130 pairs; all 167130 are used',
    );
  });
});
