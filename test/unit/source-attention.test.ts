import * as assert from 'node:assert/strict';
import type { AttentionMaps } from '../../src/decode/attentionMaps';
import { tokenizeSource } from '../../src/decode/encodeSource';
import {
  bucketTokens,
  choiceLabel,
  choiceWithin,
  crossShape,
  crossWeights,
  hasChoice,
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
      hoverText(M, 1, 2, undefined, 1),
      '**Attended to by** `!` 0.60 (encoder–decoder attention, layer 2, mean over heads)',
    );
    assert.match(hoverText(M, 0, 2)!, /`va` 0\.70, `!` 0\.10/);
    assert.equal(hoverText(M, 2, 3), null, '<eos> is not a word of the line');
  });
});

describe('one chosen layer and head (the Translations panel’s chooser)', () => {
  const near = (a: number[], b: number[]) =>
    a.length === b.length && a.every((x, i) => Math.abs(x - b[i]) < 1e-12);

  it('takes one head’s weights, or the mean over one layer’s heads', () => {
    assert.ok(near(crossWeights(M, 0, 2, { layer: 1, head: 1 }), [0.8, 0.0]), 'layer 2, head 2');
    assert.ok(near(crossWeights(M, 1, 2, { layer: 1, head: 0 }), [0.1, 0.7]), 'layer 2, head 1');
    assert.ok(near(crossWeights(M, 0, 2, { layer: 0, head: null }), [0.9, 0.9]), 'layer 1, mean');
    assert.ok(near(crossWeights(M, 0, 2, { layer: 1, head: null }), crossWeights(M, 0, 2)));
    assert.deepEqual(crossWeights(M, 0, 2, { layer: 2, head: null }), [], 'no such layer');
    assert.deepEqual(crossWeights(M, 0, 2, { layer: 1, head: 2 }), [], 'no such head');
  });

  it('hovers by the choice, and says which', () => {
    assert.equal(
      hoverText(M, 0, 2, { layer: 1, head: 1 }, 2),
      '**Attended to by** `va` 0.80, `!` 0.10 (encoder–decoder attention, layer 2, head 2)',
    );
    assert.equal(hoverText(M, 0, 2, { layer: 5, head: null }), null, 'no such layer');
  });

  it('fits a choice to a model’s size', () => {
    const shape = crossShape(M);
    assert.deepEqual(shape, { layers: 2, heads: 2 });
    assert.deepEqual(choiceWithin(null, shape), { layer: 1, head: null }, 'last layer, mean');
    assert.deepEqual(choiceWithin({ layer: 0, head: 1 }, shape), { layer: 0, head: 1 });
    assert.deepEqual(choiceWithin({ layer: 5, head: 3 }, shape), { layer: 1, head: null });
    assert.ok(hasChoice(shape, { layer: 1, head: 1 }));
    assert.ok(!hasChoice(shape, { layer: 2, head: null }));
    assert.ok(!hasChoice(shape, { layer: 0, head: 2 }));
    assert.equal(choiceLabel({ layer: 0, head: 1 }), 'layer 1, head 2');
  });
});

describe('parseWebviewMessage: highlightSource', () => {
  const base = { type: 'highlightSource', translationId: 3, target: 2, layer: 1, head: null };
  const ok = (m: unknown) => parseWebviewMessage(m).ok;

  it('accepts a step or null, and rejects anything else', () => {
    assert.deepEqual(parseWebviewMessage({ ...base, extra: 'dropped' }), {
      ok: true,
      message: { type: 'highlightSource', translationId: 3, target: 2, layer: 1, head: null },
    });
    assert.ok(ok({ ...base, target: null }));
    const { target: _target, ...noTarget } = base;
    void _target;
    assert.ok(!ok(noTarget), 'target missing');
    assert.ok(!ok({ ...base, target: -1 }));
    assert.ok(!ok({ ...base, target: 1.5 }));
    assert.ok(!ok({ ...base, target: 1e6 }), 'bounded');
    assert.ok(!ok({ ...base, translationId: '3' }));
  });

  it('carries the chosen layer and head (or null: the mean), and refuses a bad one', () => {
    const parsed = parseWebviewMessage({ ...base, layer: 0, head: 1 });
    assert.ok(parsed.ok && parsed.message.type === 'highlightSource');
    assert.deepEqual(parsed.message, { ...base, layer: 0, head: 1 });
    const { layer: _layer, ...noLayer } = base;
    void _layer;
    assert.ok(!ok(noLayer), 'layer missing');
    const { head: _head, ...noHead } = base;
    void _head;
    assert.ok(!ok(noHead), 'head missing (null is the mean)');
    for (const bad of [-1, 1.5, '1', 1024, Number.NaN, Infinity, [1], { n: 1 }]) {
      assert.ok(!ok({ ...base, layer: bad }), `layer ${String(bad)}`);
      assert.ok(!ok({ ...base, head: bad }), `head ${String(bad)}`);
    }
    const refused = parseWebviewMessage({ ...base, head: -1 });
    assert.ok(!refused.ok && /head one or null/.test(refused.error), 'says why');
  });
});
