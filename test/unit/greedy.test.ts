/**
 * greedyTranslate (the book's predict_seq2seq with attention capture) on a tiny model whose
 * output layer is steered where a test needs a known number of decoding steps.
 */
import { strict as assert } from 'node:assert';
import { AttentionGrid, gridShape } from '../../src/decode/attentionMaps';
import { greedyTranslate, tokenizeSource, Translation } from '../../src/decode/greedy';
import { tf } from '../../src/model/tf';
import { Transformer } from '../../src/model/transformer';
import { SRC_WORDS, TGT_WORDS, TINY_CONFIG, useCpuBackend, vocabOf } from '../helpers/tinyModel';

const NUM_STEPS = 8;
const srcVocab = vocabOf(SRC_WORDS);
const tgtVocab = vocabOf(TGT_WORDS);

/**
 * Runs `fn` with `delta` added to the output bias of `<eos>` (large negative: it never wins, large
 * positive: it wins at once), then puts the original bias back.
 */
function withEosBias<T>(model: Transformer, delta: number, fn: () => T): T {
  const bias = model.params.get('decoder.dense.bias');
  const original = Float32Array.from(bias.dataSync() as Float32Array);
  const shifted = Float32Array.from(original);
  shifted[tgtVocab.eos] += delta;
  tf.tidy(() => bias.assign(tf.tensor1d(shifted)));
  try {
    return fn();
  } finally {
    tf.tidy(() => bias.assign(tf.tensor1d(original)));
  }
}

function sum(row: (number | null)[]): number {
  return row.reduce<number>((a, b) => a + (b ?? 0), 0);
}

/**
 * Checks one grid: its shape, that an entry is null exactly where `masked(query, key)`, and that
 * the weights left in each row sum to 1.
 */
function checkGrid(
  grid: AttentionGrid,
  shape: [number, number, number, number],
  masked: (q: number, k: number) => boolean,
  what: string,
): void {
  assert.deepEqual(gridShape(grid), shape, `${what} shape`);
  grid.forEach((layer, l) => {
    assert.equal(layer.length, shape[1], `${what} layer ${l} heads`);
    layer.forEach((head) => {
      assert.equal(head.length, shape[2], `${what} queries`);
      head.forEach((row, q) => {
        assert.equal(row.length, shape[3], `${what} keys of query ${q}`);
        row.forEach((w, k) => {
          if (masked(q, k)) assert.equal(w, null, `${what} [${l}] q ${q} k ${k} should be masked`);
          else assert.ok(typeof w === 'number' && w > 0, `${what} [${l}] q ${q} k ${k}: ${w}`);
        });
        assert.ok(Math.abs(sum(row) - 1) < 1e-5, `${what} row ${q} sums to ${sum(row)}`);
      });
    });
  });
}

/** Everything a Translation promises about its attention maps and tokens. */
function checkTranslation(t: Translation): void {
  const a = t.attention;
  const L = a.outputTokens.length;
  const { numLayers: layers, numHeads: heads } = TINY_CONFIG;
  assert.ok(L >= 1 && L <= NUM_STEPS, `${L} steps`);
  assert.equal(a.sourceTokens.length, NUM_STEPS);
  assert.equal(a.targetInputTokens.length, L);
  assert.equal(a.targetInputTokens[0], '<bos>');
  for (let i = 1; i < L; i++) assert.equal(a.targetInputTokens[i], a.outputTokens[i - 1]);
  // Decoding stops at the first <eos> or after NUM_STEPS steps.
  assert.ok(a.outputTokens.slice(0, -1).every((tok) => tok !== '<eos>'));
  if (L < NUM_STEPS) assert.equal(a.outputTokens[L - 1], '<eos>');
  assert.deepEqual(
    t.tokens,
    a.outputTokens.filter((tok) => tok !== '<eos>'),
  );
  assert.equal(t.translation, t.tokens.join(' '));
  const v = a.sourceValidLen;
  checkGrid(a.encoderSelf, [layers, heads, NUM_STEPS, NUM_STEPS], (_q, k) => k >= v, 'encoder');
  checkGrid(a.decoderSelf, [layers, heads, L, L], (q, k) => k > q, 'decoder self');
  checkGrid(a.encoderDecoder, [layers, heads, L, NUM_STEPS], (_q, k) => k >= v, 'cross');
}

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
    checkTranslation(t);
  });

  it('runs all numSteps steps when <eos> never wins', () => {
    const t = withEosBias(model, -100, () =>
      greedyTranslate(model, srcVocab, tgtVocab, 'i lost .', { numSteps: NUM_STEPS }),
    );
    assert.equal(t.attention.outputTokens.length, NUM_STEPS);
    assert.ok(!t.attention.outputTokens.includes('<eos>'));
    assert.equal(t.tokens.length, NUM_STEPS);
    assert.equal(t.attention.sourceValidLen, 4);
    checkTranslation(t);
  });

  it('stops after one step when the first output is <eos>', () => {
    const t = withEosBias(model, 100, () =>
      greedyTranslate(model, srcVocab, tgtVocab, 'go .', { numSteps: NUM_STEPS }),
    );
    assert.deepEqual(t.attention.outputTokens, ['<eos>']);
    assert.deepEqual(t.attention.targetInputTokens, ['<bos>']);
    assert.deepEqual(t.tokens, []);
    assert.equal(t.translation, '');
    assert.deepEqual(gridShape(t.attention.decoderSelf), [2, 2, 1, 1]);
    assert.equal(t.attention.decoderSelf[1][0][0][0], 1);
    checkTranslation(t);
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
    checkTranslation(t);
  });

  it('truncates a long source to numSteps and masks no source key', () => {
    const long = 'i lost home go i lost home go i lost .';
    const t = greedyTranslate(model, srcVocab, tgtVocab, long, { numSteps: NUM_STEPS });
    assert.equal(t.sourceTokens.length, 11);
    assert.equal(t.attention.sourceValidLen, NUM_STEPS);
    assert.deepEqual(t.attention.sourceTokens, tokenizeSource(long).slice(0, NUM_STEPS));
    checkTranslation(t);
  });

  it("accepts 'book' and 'correct' positions, which differ from the second step on", () => {
    // <eos> suppressed: both run NUM_STEPS steps.
    withEosBias(model, -100, () => {
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
      checkTranslation(book);
      checkTranslation(correct);
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
      checkTranslation(t);
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
