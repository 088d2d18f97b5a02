/**
 * greedyTranslate (the book's predict_seq2seq with attention capture) on a tiny model whose
 * output layer is steered where a test needs a known number of decoding steps.
 */
import { strict as assert } from 'node:assert';
import { gridShape } from '../../src/decode/attentionMaps';
import { greedyTranslate, tokenizeSource } from '../../src/decode/greedy';
import { tf } from '../../src/model/tf';
import { Transformer } from '../../src/model/transformer';
import { checkTranslation, withEosBias } from '../helpers/decoding';
import { SRC_WORDS, TGT_WORDS, TINY_CONFIG, useCpuBackend, vocabOf } from '../helpers/tinyModel';

const NUM_STEPS = 8;
const srcVocab = vocabOf(SRC_WORDS);
const tgtVocab = vocabOf(TGT_WORDS);

/** The tiny model's attention: TINY_CONFIG's layers and heads, NUM_STEPS decoding steps. */
const TINY_SHAPE = {
  layers: TINY_CONFIG.numLayers,
  heads: TINY_CONFIG.numHeads,
  numSteps: NUM_STEPS,
};

describe('greedyTranslate', () => {
  let model: Transformer;

  before(async () => {
    await useCpuBackend();
    assert.equal(srcVocab.size, TINY_CONFIG.srcVocabSize);
    assert.equal(tgtVocab.size, TINY_CONFIG.tgtVocabSize);
    model = new Transformer(TINY_CONFIG, 3);
  });

  after(() => model.dispose());

  it("tokenizes like the book's preprocessing", () => {
    assert.deepEqual(tokenizeSource("I'm home."), ["i'm", 'home', '.']);
    assert.deepEqual(tokenizeSource('  Go\u202f!  Now. '), ['go', '!', 'now', '.']);
    assert.deepEqual(tokenizeSource(' \t '), []);
  });

  it('captures grids of (layers, heads, steps, keys) with nulls exactly where masked', () => {
    const t = greedyTranslate(model, srcVocab, tgtVocab, 'Go.', { numSteps: NUM_STEPS });
    assert.deepEqual(t.sourceTokens, ['go', '.']);
    assert.deepEqual(t.unknownTokens, []);
    assert.equal(t.attention.sourceValidLen, 3);
    assert.deepEqual(t.attention.sourceTokens, ['go', '.', '<eos>', ...Array(5).fill('<pad>')]);
    checkTranslation(t, TINY_SHAPE);
  });

  it('runs all numSteps steps when <eos> never wins', () => {
    const t = withEosBias(model, tgtVocab, -100, () =>
      greedyTranslate(model, srcVocab, tgtVocab, 'i lost .', { numSteps: NUM_STEPS }),
    );
    assert.equal(t.attention.outputTokens.length, NUM_STEPS);
    assert.ok(!t.attention.outputTokens.includes('<eos>'));
    assert.equal(t.tokens.length, NUM_STEPS);
    assert.equal(t.attention.sourceValidLen, 4);
    checkTranslation(t, TINY_SHAPE);
  });

  it('stops after one step when the first output is <eos>', () => {
    const t = withEosBias(model, tgtVocab, 100, () =>
      greedyTranslate(model, srcVocab, tgtVocab, 'go .', { numSteps: NUM_STEPS }),
    );
    assert.deepEqual(t.attention.outputTokens, ['<eos>']);
    assert.deepEqual(t.attention.targetInputTokens, ['<bos>']);
    assert.deepEqual(t.tokens, []);
    assert.equal(t.translation, '');
    assert.deepEqual(gridShape(t.attention.decoderSelf), [2, 2, 1, 1]);
    assert.equal(t.attention.decoderSelf[1][0][0][0], 1);
    checkTranslation(t, TINY_SHAPE);
  });

  it('reports unknown words and feeds them as <unk>', () => {
    const t = greedyTranslate(model, srcVocab, tgtVocab, 'Go zzz home qqq.', {
      numSteps: NUM_STEPS,
    });
    assert.deepEqual(t.sourceTokens, ['go', 'zzz', 'home', 'qqq', '.']);
    assert.deepEqual(t.unknownTokens, ['zzz', 'qqq']);
    assert.deepEqual(t.attention.sourceTokens.slice(0, 6), [
      'go',
      '<unk>',
      'home',
      '<unk>',
      '.',
      '<eos>',
    ]);
    checkTranslation(t, TINY_SHAPE);
  });

  it('truncates a long source to numSteps and masks no source key', () => {
    const long = 'i lost home go i lost home go i lost .';
    const t = greedyTranslate(model, srcVocab, tgtVocab, long, { numSteps: NUM_STEPS });
    assert.equal(t.sourceTokens.length, 11);
    assert.equal(t.attention.sourceValidLen, NUM_STEPS);
    assert.deepEqual(t.attention.sourceTokens, tokenizeSource(long).slice(0, NUM_STEPS));
    checkTranslation(t, TINY_SHAPE);
  });

  it('lists only the unknown words the model saw, and says where a long source was cut', () => {
    // 12 tokens; the model sees 8: "zzz" is among them, "qqq" and "www" come after the cut.
    const long = 'go zzz home i lost . go home qqq lost www .';
    const t = greedyTranslate(model, srcVocab, tgtVocab, long, { numSteps: NUM_STEPS });
    assert.deepEqual(t.unknownTokens, ['zzz']);
    assert.deepEqual(t.truncation, {
      keptTokens: NUM_STEPS,
      totalTokens: 12,
      lastKept: 'home',
      firstCut: 'qqq',
    });
    const short = greedyTranslate(model, srcVocab, tgtVocab, 'go zzz .', { numSteps: NUM_STEPS });
    assert.equal(short.truncation, undefined);
    // Exactly numSteps tokens: the <eos> is cut, but every word was seen.
    const exact = greedyTranslate(model, srcVocab, tgtVocab, 'go home i lost . go home .', {
      numSteps: NUM_STEPS,
    });
    assert.equal(exact.sourceTokens.length, NUM_STEPS);
    assert.equal(exact.truncation, undefined);
  });

  it("accepts 'book' and 'correct' positions, which differ from the second step on", () => {
    // <eos> suppressed: both run NUM_STEPS steps.
    withEosBias(model, tgtVocab, -100, () => {
      const opts = { numSteps: NUM_STEPS };
      const byDefault = greedyTranslate(model, srcVocab, tgtVocab, "he's calm .", opts);
      const correct = greedyTranslate(model, srcVocab, tgtVocab, "he's calm .", {
        ...opts,
        positionMode: 'correct',
      });
      const book = greedyTranslate(model, srcVocab, tgtVocab, "he's calm .", {
        ...opts,
        positionMode: 'book',
      });
      assert.deepEqual(byDefault, correct, "the default is 'correct'");
      checkTranslation(book, TINY_SHAPE);
      checkTranslation(correct, TINY_SHAPE);
      const a = correct.attention;
      const b = book.attention;
      assert.deepEqual(a.encoderSelf, b.encoderSelf, 'the encoder does not depend on the mode');
      assert.equal(a.outputTokens[0], b.outputTokens[0]);
      for (let layer = 0; layer < TINY_CONFIG.numLayers; layer++) {
        for (let head = 0; head < TINY_CONFIG.numHeads; head++) {
          // Step 0 is position 0 in both modes; step 1 gets position 1 only in 'correct'.
          assert.deepEqual(a.decoderSelf[layer][head][0], b.decoderSelf[layer][head][0]);
          assert.deepEqual(a.encoderDecoder[layer][head][0], b.encoderDecoder[layer][head][0]);
          const rowA = a.decoderSelf[layer][head][1] as number[];
          const rowB = b.decoderSelf[layer][head][1] as number[];
          assert.ok(
            Math.abs(rowA[0] - rowB[0]) > 1e-6,
            `layer ${layer} head ${head}: step 1 weights equal in both modes`,
          );
        }
      }
    });
  });

  it('translates an empty sentence as the source <eos> alone', () => {
    // Decision: like predict_seq2seq with no tokens, the encoder sees just <eos> (valid length
    // 1); the CLI refuses an empty sentence before it gets here.
    for (const empty of ['', '   ']) {
      const t = greedyTranslate(model, srcVocab, tgtVocab, empty, { numSteps: NUM_STEPS });
      assert.equal(t.source, empty);
      assert.deepEqual(t.sourceTokens, []);
      assert.deepEqual(t.unknownTokens, []);
      assert.equal(t.attention.sourceValidLen, 1);
      assert.deepEqual(t.attention.sourceTokens, ['<eos>', ...Array(7).fill('<pad>')]);
      // One visible key: all weight on it.
      assert.deepEqual(t.attention.encoderSelf[0][0][0], [1, ...Array(7).fill(null)]);
      checkTranslation(t, TINY_SHAPE);
    }
  });

  it('is deterministic and leaks no tensors', () => {
    const before = tf.memory().numTensors;
    const a = greedyTranslate(model, srcVocab, tgtVocab, "I'm home.", { numSteps: NUM_STEPS });
    const b = greedyTranslate(model, srcVocab, tgtVocab, "I'm home.", { numSteps: NUM_STEPS });
    assert.equal(tf.memory().numTensors, before);
    assert.deepEqual(a, b);
  });
});
