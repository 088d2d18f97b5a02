import * as assert from 'node:assert/strict';
import { bleu, corpusBleu } from '../../src/decode/bleu';

const close = (actual: number, expected: number, tol = 1e-12): void =>
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} is not ${expected}`);
const toks = (s: string): string[] => s.split(' ');

describe('bleu (the book)', () => {
  it('is 1 for an exact match', () => {
    assert.equal(bleu('va !', 'va !', 2), 1);
    assert.equal(bleu("j'ai perdu .", "j'ai perdu .", 2), 1);
  });

  it('applies the brevity factor exp(min(0, 1 - lenLabel / lenPred))', () => {
    // 3 of 5 label tokens, all n-grams match: exp(1 - 5/3) = exp(-2/3).
    close(bleu('a b c', 'a b c d e', 2), Math.exp(-2 / 3));
    close(bleu('a b c', 'a b c d e', 2), 0.513417119032592);
    // A longer prediction is not rewarded: 1 - 2/3 > 0 is clipped to 0.
    close(bleu('a b c', 'a b', 1), Math.sqrt(2 / 3));
  });

  it('multiplies (matches / (lenPred - n + 1)) ** (0.5 ** n)', () => {
    // pred 4 tokens, label 5: exp(-1/4); unigrams je suis . → 3/4; bigrams "jesuis" → 1/3.
    const expected = Math.exp(-0.25) * Math.pow(3 / 4, 0.5) * Math.pow(1 / 3, 0.25);
    close(bleu('je suis <unk> .', 'je suis chez moi .', 2), expected);
    close(bleu('je suis <unk> .', 'je suis chez moi .', 2), 0.5124797359336637);
  });

  it('clips repeated n-grams to their count in the label', () => {
    // unigrams: "le" ×3 in pred, ×1 in label → 1 match of 3: (1/3) ** 0.5, brevity 1.
    close(bleu('le le le', 'le chat .', 1), Math.sqrt(1 / 3));
  });

  it("keeps the book's separator-less n-gram join", () => {
    // Bigrams "x"+"a"="xa", "a"+"bc"="abc" vs label "xab", "abc": "abc" matches (1/2).
    // Unigrams: only "x" matches (1/3). Same lengths → brevity 1.
    close(bleu('x a bc', 'x ab c', 2), Math.pow(1 / 3, 0.5) * Math.pow(1 / 2, 0.25));
  });

  it('returns 0 where the book divides by zero (prediction shorter than k)', () => {
    assert.equal(bleu('x', 'x y', 2), 0);
    assert.equal(bleu('', 'va !', 2), 0);
    close(bleu('x', 'x y', 1), Math.exp(-1));
  });

  it('is 0 when some n has no match', () => {
    assert.equal(bleu('le chat est sur le tapis', 'le chat est assis sur le tapis', 4), 0);
  });
});

describe('corpusBleu', () => {
  it('is 1 for a perfect match', () => {
    const refs = [toks('the cat sat on the mat'), toks('il est calme .')];
    assert.equal(corpusBleu(refs, refs), 1);
  });

  it('is 0 without any 4-gram match (no smoothing)', () => {
    assert.equal(corpusBleu([toks('a b c d')], [toks('a b c e')]), 0);
    assert.equal(corpusBleu([toks('a b c')], [toks('a b c')]), 0);
  });

  it('combines the four precisions by a geometric mean', () => {
    // p1 = 5/6, p2 = 3/5, p3 = 2/4, p4 = 1/3 → (1/12) ** (1/4); equal lengths, BP = 1.
    const score = corpusBleu([toks('the cat sat on the mat')], [toks('the cat sat on a mat')]);
    close(score, Math.pow(1 / 12, 0.25));
    close(score, 0.5372849659117709);
  });

  it('applies the brevity penalty exp(1 - r/c) when c < r', () => {
    // All n-grams match; c = 4, r = 6 → exp(1 - 6/4) = exp(-0.5).
    close(corpusBleu([toks('a b c d')], [toks('a b c d e f')]), Math.exp(-0.5));
  });

  it('sums counts over the corpus before dividing', () => {
    // p1 = (2 + 1) / 4, p2 = (1 + 0) / 2 → sqrt(3/8); c = r = 4.
    close(corpusBleu([toks('a b'), toks('c d')], [toks('a b'), toks('c e')], 2), Math.sqrt(3 / 8));
  });

  it('clips counts to the reference', () => {
    close(corpusBleu([toks('the the the the')], [toks('the cat')], 1), 0.25);
  });

  it('rejects mismatched lengths and handles an empty corpus', () => {
    assert.throws(() => corpusBleu([['a']], []), /1 predictions but 0 references/);
    assert.equal(corpusBleu([], []), 0);
  });
});
