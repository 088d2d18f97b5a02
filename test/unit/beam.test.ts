/**
 * Beam search (d2l §9.8): the pure search on hand-made log-probability tables whose best outputs
 * are worked out by hand, then beamTranslate on tiny Transformers (beam 1 is greedyTranslate,
 * attention maps follow greedy's rules, no tensor leaks).
 */
import { strict as assert } from 'node:assert';
import { gridShape } from '../../src/decode/attentionMaps';
import {
  BeamCandidate,
  BeamTranslation,
  beamSearch,
  beamSearchBatched,
  beamTranslate,
  logSoftmax,
} from '../../src/decode/beam';
import { greedyTranslate } from '../../src/decode/greedy';
import { tf } from '../../src/model/tf';
import { Transformer } from '../../src/model/transformer';
import { trainFromText } from '../../src/train/experiment';
import { checkTranslation, withEosBias } from '../helpers/decoding';
import { sharedCorpusHead } from '../helpers/sharedCorpus';
import {
  SRC_WORDS,
  TGT_WORDS,
  TINY_CONFIG,
  TINY_HYPERPARAMETERS,
  useCpuBackend,
  vocabOf,
} from '../helpers/tinyModel';

// Token ids of the hand-made tables: 0 <bos>, 1 <eos>, 2 A, 3 B.
const BOS = 0;
const EOS = 1;
const A = 2;
const B = 3;
const NAMES = ['<bos>', '<eos>', 'A', 'B'];

/**
 * A scoring callback from a table of next-token probabilities keyed by the output so far (names
 * joined by spaces, '' for the start). Tokens not listed have probability 0 (log -Infinity).
 */
function table(probs: Record<string, Partial<Record<'<eos>' | 'A' | 'B', number>>>) {
  const calls: string[] = [];
  const fn = (prefix: number[]): number[] => {
    assert.equal(prefix[0], BOS, 'every prefix starts with <bos>');
    const key = prefix
      .slice(1)
      .map((id) => NAMES[id])
      .join(' ');
    calls.push(key);
    const row = probs[key];
    if (!row) throw new Error(`no row for "${key}"`);
    return NAMES.map((name) => Math.log((row as Record<string, number>)[name] ?? 0));
  };
  return { fn, calls };
}

function names(c: BeamCandidate): string {
  return c.ids.map((id) => NAMES[id]).join(' ');
}

function close(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) < 1e-12, `${what}: ${actual} vs ${expected}`);
}

/**
 * Greedy's first choice A leads to a worse whole output:
 *   start: A .5, B .4, <eos> .1
 *   A:     A .4, B .35, <eos> .25        B: A .9, B .05, <eos> .05
 *   any two tokens: <eos> 1
 * Greedy: A (.5), A (.4), <eos> (1): P = .2.
 * Beam 2: step 1 keeps A .5, B .4; step 2 extensions AA .2, AB .175, A<eos> .125, BA .36,
 * BB .02, B<eos> .02 keep BA .36 and AA .2; step 3 ends both with <eos>.
 * Both have L = 3 (A, A/B, <eos>), so scores are log .36 / 3^.75 = -0.4482 (BA, chosen) and
 * log .2 / 3^.75 = -0.7060 (AA).
 */
const GREEDY_TRAP = {
  '': { A: 0.5, B: 0.4, '<eos>': 0.1 },
  A: { A: 0.4, B: 0.35, '<eos>': 0.25 },
  B: { A: 0.9, B: 0.05, '<eos>': 0.05 },
  'A A': { '<eos>': 1 },
  'A B': { '<eos>': 1 },
  'B A': { '<eos>': 1 },
  'B B': { '<eos>': 1 },
};

/**
 * A short likely output against a longer, less likely one:
 *   start: A .6, B .4          A: <eos> .6, A .2, B .2          B: A .8, B .2
 *   B A: B .8, A .2            B A B: <eos> 1                   B A A: <eos> 1
 * Beam 2: step 2 keeps A<eos> .36 (ends, L = 2) and BA .32; step 3 keeps BAB .256, BAA .064;
 * step 4 ends BAB<eos> .256 and BAA<eos> .064 (L = 4).
 *   alpha 0:    log .36 = -1.0217 > log .256 = -1.3626 > log .064 = -2.7489: A<eos> wins.
 *   alpha 0.75: log .256 / 4^.75 = -0.4818 > log .36 / 2^.75 = -0.6075 > log .064 / 4^.75 =
 *               -0.9719: BAB<eos> wins.
 */
const SHORT_OR_LONG = {
  '': { A: 0.6, B: 0.4 },
  A: { '<eos>': 0.6, A: 0.2, B: 0.2 },
  B: { A: 0.8, B: 0.2 },
  'B A': { B: 0.8, A: 0.2 },
  'B A B': { '<eos>': 1 },
  'B A A': { '<eos>': 1 },
};

describe('beamSearch (hand-made tables)', () => {
  const opts = { bos: BOS, eos: EOS, numSteps: 5 };

  it('beam 1 is greedy and falls into the trap; beam 2 finds the better output', () => {
    const greedy = beamSearch(table(GREEDY_TRAP).fn, { ...opts, beamSize: 1 });
    assert.deepEqual(greedy.map(names), ['A A <eos>']);
    close(greedy[0].logProb, Math.log(0.5 * 0.4 * 1), 'greedy logProb');

    const beam = beamSearch(table(GREEDY_TRAP).fn, { ...opts, beamSize: 2 });
    assert.deepEqual(beam.map(names), ['B A <eos>', 'A A <eos>']);
    close(beam[0].logProb, Math.log(0.36), 'BA logProb');
    close(beam[0].score, Math.log(0.36) / Math.pow(3, 0.75), 'BA score');
    assert.ok(Math.abs(beam[0].score + 0.4482) < 1e-4, `BA score ${beam[0].score}`);
    assert.ok(Math.abs(beam[1].score + 0.706) < 1e-4, `AA score ${beam[1].score}`);
    assert.deepEqual(
      beam.map((c) => [c.length, c.endedWithEos]),
      [
        [3, true],
        [3, true],
      ],
    );
  });

  it('with alpha 0 the short likely output wins, with alpha 0.75 the longer one', () => {
    const plain = beamSearch(table(SHORT_OR_LONG).fn, { ...opts, beamSize: 2, alpha: 0 });
    assert.deepEqual(plain.map(names), ['A <eos>', 'B A B <eos>', 'B A A <eos>']);
    plain.forEach((c) => assert.equal(c.score, c.logProb, 'alpha 0: score is the logProb'));
    close(plain[0].logProb, Math.log(0.36), 'A<eos>');

    const book = beamSearch(table(SHORT_OR_LONG).fn, { ...opts, beamSize: 2 });
    assert.deepEqual(book.map(names), ['B A B <eos>', 'A <eos>', 'B A A <eos>']);
    assert.deepEqual(
      book.map((c) => c.length),
      [4, 2, 4],
      'L counts <eos>',
    );
    close(book[0].score, Math.log(0.256) / Math.pow(4, 0.75), 'BAB<eos>');
    close(book[1].score, Math.log(0.36) / Math.pow(2, 0.75), 'A<eos>');
    assert.ok(Math.abs(book[0].score + 0.4818) < 1e-4 && Math.abs(book[1].score + 0.6075) < 1e-4);
  });

  it('ends outputs at numSteps (L = numSteps, no <eos>) and an immediate <eos> has L 1', () => {
    const never = () => [-Infinity, Math.log(0.1), Math.log(0.6), Math.log(0.3)];
    const cut = beamSearch(never, { ...opts, numSteps: 3, beamSize: 2, alpha: 0.75 });
    // <eos> (.1) never makes the top 2 (A .6, B .3 extensions are always likelier).
    assert.deepEqual(cut.map(names), ['A A A', 'A A B']);
    assert.deepEqual(
      cut.map((c) => [c.length, c.endedWithEos]),
      [
        [3, false],
        [3, false],
      ],
    );
    close(cut[0].logProb, 3 * Math.log(0.6), 'AAA');

    const stop = beamSearch(() => [-Infinity, 0, -5, -5], { ...opts, beamSize: 1 });
    assert.deepEqual(stop.map(names), ['<eos>']);
    assert.equal(stop[0].length, 1);
    assert.equal(stop[0].score, 0);
  });

  it('narrows the beam as outputs end and feeds each prefix once per step', () => {
    const t = table(SHORT_OR_LONG);
    beamSearch(t.fn, { ...opts, beamSize: 2 });
    // A<eos> left the beam at step 2, so step 3 scores only BA.
    assert.deepEqual(t.calls, ['', 'A', 'B', 'B A', 'B A B', 'B A A']);
  });

  it('tells the batched callback which previous row each prefix extends', () => {
    const seen: { prefixes: number[][]; parents: number[] }[] = [];
    const t = table(GREEDY_TRAP);
    beamSearchBatched(
      (prefixes, parents) => {
        seen.push({ prefixes: prefixes.map((p) => [...p]), parents: [...parents] });
        return prefixes.map((p) => t.fn([...p]));
      },
      { ...opts, beamSize: 2 },
    );
    assert.deepEqual(seen, [
      { prefixes: [[BOS]], parents: [0] },
      {
        prefixes: [
          [BOS, A],
          [BOS, B],
        ],
        parents: [0, 0],
      },
      // Rows of step 2 were [A, B]: BA extends row 1, AA row 0.
      {
        prefixes: [
          [BOS, B, A],
          [BOS, A, A],
        ],
        parents: [1, 0],
      },
    ]);
  });

  it('rejects bad options', () => {
    const f = () => [0];
    assert.throws(() => beamSearch(f, { ...opts, beamSize: 0 }), /beamSize/);
    assert.throws(() => beamSearch(f, { ...opts, beamSize: 1.5 }), /beamSize/);
    assert.throws(() => beamSearch(f, { ...opts, numSteps: 0, beamSize: 1 }), /numSteps/);
    assert.throws(() => beamSearch(f, { ...opts, beamSize: 1, alpha: -1 }), /alpha/);
  });

  it('logSoftmax gives log-probabilities that sum to 1', () => {
    const lp = logSoftmax([1, 2, 3, 1000]);
    assert.ok(Math.abs(lp.reduce((s, x) => s + Math.exp(x), 0) - 1) < 1e-12);
    assert.ok(lp.every((x) => x <= 0));
  });
});

const NUM_STEPS = 8;
const srcVocab = vocabOf(SRC_WORDS);
const tgtVocab = vocabOf(TGT_WORDS);
const SENTENCES = ['Go.', "I'm home.", 'i lost .', "he's calm .", 'Go zzz home qqq.', ''];

/** The Translation fields of a BeamTranslation (what greedyTranslate returns). */
function translationPart(t: BeamTranslation) {
  const { source, sourceTokens, unknownTokens, tokens, translation, attention } = t;
  return { source, sourceTokens, unknownTokens, tokens, translation, attention };
}

/** greedy.test.ts's rules for a Translation, applied to the chosen candidate. */
function checkBeamTranslation(t: BeamTranslation, layers: number, heads: number): void {
  checkTranslation(t, { layers, heads, numSteps: NUM_STEPS });
  const L = t.attention.outputTokens.length;
  // The ranking: candidates[0] is the translation, best score first, L counts <eos>.
  const best = t.candidates[0];
  assert.deepEqual(best.tokens, t.tokens);
  assert.equal(best.length, L);
  assert.equal(best.score, t.score);
  assert.equal(best.logProb, t.logProb);
  for (const c of t.candidates) {
    close(c.score, c.logProb / Math.pow(c.length, t.alpha), 'score');
    assert.equal(c.length, c.tokens.length + (c.endedWithEos ? 1 : 0));
    assert.ok(c.logProb <= 0);
  }
  for (let i = 1; i < t.candidates.length; i++) {
    assert.ok(t.candidates[i - 1].score >= t.candidates[i].score, 'sorted by score');
  }
}

/** Σ log-softmax of the chosen output, teacher-forced through the whole decoder at once. */
function teacherForcedLogProb(model: Transformer, t: BeamTranslation): number {
  return tf.tidy(() => {
    const a = t.attention;
    const src = srcVocab.encode(a.sourceTokens);
    const dec = tgtVocab.encode(a.targetInputTokens);
    const out = model.apply(
      tf.tensor2d([src], [1, NUM_STEPS], 'int32'),
      tf.tensor1d([a.sourceValidLen], 'int32'),
      tf.tensor2d([dec], [1, dec.length], 'int32'),
      { training: false },
    );
    const rows = (out.logits.arraySync() as number[][][])[0];
    const outIds = tgtVocab.encode(a.outputTokens);
    return rows.reduce((s, row, i) => s + logSoftmax(row)[outIds[i]], 0);
  });
}

describe('beamTranslate (tiny Transformer)', () => {
  let model: Transformer;

  before(async () => {
    await useCpuBackend();
    model = new Transformer(TINY_CONFIG, 3);
  });

  after(() => model.dispose());

  it('beam 1 gives exactly greedyTranslate (random weights, both position modes)', () => {
    for (const positionMode of ['correct', 'book'] as const) {
      for (const sentence of SENTENCES) {
        const opts = { numSteps: NUM_STEPS, positionMode };
        const g = greedyTranslate(model, srcVocab, tgtVocab, sentence, opts);
        const b = beamTranslate(model, srcVocab, tgtVocab, sentence, { ...opts, beamSize: 1 });
        assert.deepEqual(translationPart(b), g, `${positionMode} "${sentence}"`);
        assert.equal(b.candidates.length, 1);
      }
    }
    // <eos> suppressed: all numSteps steps, the output cut off by length.
    withEosBias(model, tgtVocab, -100, () => {
      const g = greedyTranslate(model, srcVocab, tgtVocab, 'i lost .', { numSteps: NUM_STEPS });
      const b = beamTranslate(model, srcVocab, tgtVocab, 'i lost .', {
        numSteps: NUM_STEPS,
        beamSize: 1,
      });
      assert.deepEqual(translationPart(b), g);
      assert.equal(b.candidates[0].endedWithEos, false);
      assert.equal(b.candidates[0].length, NUM_STEPS);
    });
  });

  it('beam search, too, lists only the unknown words the model saw and where it cut', () => {
    const long = 'go zzz home i lost . go home qqq lost www .';
    const opts = { numSteps: NUM_STEPS, beamSize: 2 };
    const b = beamTranslate(model, srcVocab, tgtVocab, long, opts);
    assert.deepEqual(b.unknownTokens, ['zzz']);
    assert.equal(b.truncation?.totalTokens, 12);
    assert.equal(b.truncation?.firstCut, 'qqq');
  });

  it("the chosen candidate's attention maps follow greedy's shapes and null-masking", () => {
    const { numLayers, numHeads } = TINY_CONFIG;
    for (const beamSize of [2, 3, 5]) {
      for (const sentence of SENTENCES) {
        const t = beamTranslate(model, srcVocab, tgtVocab, sentence, {
          numSteps: NUM_STEPS,
          beamSize,
        });
        assert.equal(t.beamSize, beamSize);
        assert.equal(t.alpha, 0.75);
        assert.ok(t.candidates.length >= 1 && t.candidates.length <= beamSize);
        checkBeamTranslation(t, numLayers, numHeads);
        // The batched search's log-probability agrees with a teacher-forced pass.
        const forced = teacherForcedLogProb(model, t);
        assert.ok(Math.abs(forced - t.logProb) < 1e-4, `${forced} vs ${t.logProb}`);
      }
    }
    withEosBias(model, tgtVocab, -100, () => {
      const t = beamTranslate(model, srcVocab, tgtVocab, 'go .', {
        numSteps: NUM_STEPS,
        beamSize: 3,
        topK: 2,
      });
      assert.equal(t.candidates.length, 2);
      assert.equal(t.attention.outputTokens.length, NUM_STEPS);
      checkBeamTranslation(t, numLayers, numHeads);
    });
    withEosBias(model, tgtVocab, 100, () => {
      const t = beamTranslate(model, srcVocab, tgtVocab, 'go .', {
        numSteps: NUM_STEPS,
        beamSize: 3,
      });
      assert.deepEqual(t.attention.outputTokens, ['<eos>']);
      assert.deepEqual(gridShape(t.attention.decoderSelf), [numLayers, numHeads, 1, 1]);
      checkBeamTranslation(t, numLayers, numHeads);
    });
  });

  it('is deterministic and leaks no tensors', () => {
    const before = tf.memory().numTensors;
    const opts = { numSteps: NUM_STEPS, beamSize: 4 };
    const a = beamTranslate(model, srcVocab, tgtVocab, "I'm home.", opts);
    const b = beamTranslate(model, srcVocab, tgtVocab, "I'm home.", opts);
    beamTranslate(model, srcVocab, tgtVocab, 'go .', { ...opts, beamSize: 1 });
    withEosBias(model, tgtVocab, -100, () =>
      beamTranslate(model, srcVocab, tgtVocab, 'go .', opts),
    );
    assert.throws(() => beamTranslate(model, srcVocab, tgtVocab, 'go .', { ...opts, topK: 0 }));
    assert.equal(tf.memory().numTensors, before);
    assert.deepEqual(a, b);
  });
});

describe('beamTranslate (trained tiny model on the shared corpus)', () => {
  it('beam 1 matches greedyTranslate and wider beams never leak', async () => {
    await useCpuBackend();
    const h = { ...TINY_HYPERPARAMETERS, numEpochs: 8 };
    const trained = await trainFromText(sharedCorpusHead(200), h);
    const { model } = trained;
    try {
      const before = tf.memory().numTensors;
      for (const sentence of ['Go.', 'I lost.', "He's calm.", "I'm home."]) {
        const opts = { numSteps: h.numSteps };
        const g = greedyTranslate(model, trained.srcVocab, trained.tgtVocab, sentence, opts);
        const b1 = beamTranslate(model, trained.srcVocab, trained.tgtVocab, sentence, {
          ...opts,
          beamSize: 1,
        });
        assert.deepEqual(translationPart(b1), g, sentence);
        const b3 = beamTranslate(model, trained.srcVocab, trained.tgtVocab, sentence, {
          ...opts,
          beamSize: 3,
        });
        assert.ok(b3.candidates.length >= 1);
        assert.equal(b3.attention.outputTokens.length, b3.candidates[0].length);
      }
      assert.equal(tf.memory().numTensors, before);
    } finally {
      model.dispose();
    }
  });
});
