import * as assert from 'node:assert/strict';
import type { AttentionMaps } from '../../src/decode/attentionMaps';
import { tokenizeSource } from '../../src/decode/encodeSource';
import {
  bucketTokens,
  crossWeights,
  hoverText,
  locateSources,
  sourceTokenSpans,
  weightBucket,
} from '../../src/shared/sourceAttention';
import { parseSelection } from '../../src/host/selection';
import { parseWebviewMessage } from '../../src/shared/validate';

const texts = (line: string): string[] =>
  sourceTokenSpans(line).map((s) => line.slice(s.start, s.end).toLowerCase());

describe('sourceTokenSpans', () => {
  it('splits words and punctuation where the model does, in the line’s own offsets', () => {
    assert.deepEqual(sourceTokenSpans("  I'm home."), [
      { start: 2, end: 5 },
      { start: 6, end: 10 },
      { start: 10, end: 11 },
    ]);
  });

  for (const line of [
    "I'm home.",
    'Hi!! How are you ?',
    'Wait,\tplease...   now',
    'Go\u00a0! ¿Qué?',
    ', leading comma. Xylophonist zebra!',
    '',
  ]) {
    it(`gives one span per model token for ${JSON.stringify(line)}`, () => {
      assert.deepEqual(texts(line), tokenizeSource(line));
    });
  }
});

describe('locateSources', () => {
  it('finds the sentences parseSelection keeps, where they start', () => {
    const text = "  I'm home.\r\n\n123\ngo .\tva !\n";
    const located = locateSources(text);
    const parsed = parseSelection(text);
    assert.ok(parsed.ok);
    assert.deepEqual(
      located.map((l) => l.source),
      parsed.sentences.map((s) => s.source),
    );
    assert.deepEqual(
      located.map((l) => text.slice(l.offset, l.offset + 4)),
      ["I'm ", 'go .'],
    );
  });
});

/** 2 layers × 2 heads; the last layer's rows are given, the first layer is noise. */
function maps(lastLayerHeads: (number | null)[][][], outputTokens: string[]): AttentionMaps {
  const noise = lastLayerHeads.map((h) => h.map((row) => row.map(() => 0.9)));
  return {
    sourceTokens: ['go', '.', '<eos>', '<pad>'],
    sourceValidLen: 3,
    targetInputTokens: ['<bos>', ...outputTokens.slice(0, -1)],
    outputTokens,
    encoderSelf: [],
    decoderSelf: [],
    encoderDecoder: [noise, lastLayerHeads],
  };
}

const M = maps(
  [
    [
      [0.6, 0.2, 0.2, null],
      [0.1, 0.7, 0.2, null],
    ],
    [
      [0.8, 0.0, 0.2, null],
      [0.1, 0.5, 0.4, null],
    ],
  ],
  ['va', '!'],
);

describe('crossWeights, weightBucket, bucketTokens, hoverText', () => {
  it('averages the last layer’s heads over the source words only (not <eos>)', () => {
    const w = crossWeights(M, 0, 2);
    assert.equal(w.length, 2);
    assert.ok(Math.abs(w[0] - 0.7) < 1e-12 && Math.abs(w[1] - 0.1) < 1e-12);
    assert.equal(crossWeights(M, 0, 1).length, 1, 'tokens beyond what the line has');
    assert.deepEqual(crossWeights(M, 2, 2), [], 'no such step');
    assert.deepEqual(crossWeights(M, -1, 2), []);
  });

  it('buckets weights by fifths and drops the faint ones', () => {
    assert.equal(weightBucket(0.01), null);
    assert.equal(weightBucket(Number.NaN), null);
    assert.equal(weightBucket(0.05), 0);
    assert.equal(weightBucket(0.2), 0);
    assert.equal(weightBucket(0.21), 1);
    assert.equal(weightBucket(1), 4);
    assert.deepEqual(bucketTokens([0.7, 0.1, 0.01]), [[1], [], [], [0], []]);
  });

  it('lists the output tokens that attended to a word most, with weights', () => {
    assert.equal(
      hoverText(M, 1, 2, 1),
      '**Attended to by** `!` 0.60 (encoder–decoder attention, last layer, mean over heads)',
    );
    assert.match(hoverText(M, 0, 2)!, /`va` 0\.70, `!` 0\.10/);
    assert.equal(hoverText(M, 2, 3), null, '<eos> is not a word of the line');
  });
});

describe('parseWebviewMessage: highlightSource', () => {
  it('accepts a step or null, and rejects anything else', () => {
    const ok = (m: unknown) => parseWebviewMessage(m).ok;
    assert.deepEqual(
      parseWebviewMessage({ type: 'highlightSource', translationId: 3, target: 2 }),
      {
        ok: true,
        message: { type: 'highlightSource', translationId: 3, target: 2 },
      },
    );
    assert.ok(ok({ type: 'highlightSource', translationId: 3, target: null }));
    assert.ok(!ok({ type: 'highlightSource', translationId: 3 }), 'target missing');
    assert.ok(!ok({ type: 'highlightSource', translationId: 3, target: -1 }));
    assert.ok(!ok({ type: 'highlightSource', translationId: 3, target: 1.5 }));
    assert.ok(!ok({ type: 'highlightSource', translationId: 3, target: 1e6 }), 'bounded');
    assert.ok(!ok({ type: 'highlightSource', translationId: '3', target: 0 }));
  });
});
