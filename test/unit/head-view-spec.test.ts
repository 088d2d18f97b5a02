/** The head view's pure part (webview/specs/headView.ts): which lines show, and the summary. */
import { strict as assert } from 'node:assert';
import type { AttentionSection } from '../../webview/specs/attentionSections';
import {
  HEAD_COLOURS,
  MIN_LINE_WEIGHT,
  ROW_HEIGHT,
  headColour,
  headViewModel,
  headViewSummary,
  rowY,
} from '../../webview/specs/headView';

/** One layer, two heads, 2 queries × 3 keys; the last key masked for query 0. */
const SECTION: AttentionSection = {
  kind: 'encoderDecoder',
  title: 'Encoder–decoder attention',
  caption: '',
  grid: [
    [
      [
        [0.7, 0.3, null],
        [0.01, 0.49, 0.5],
      ],
      [
        [0.5, 0.5, null],
        [0.2, 0.2, 0.6],
      ],
    ],
  ],
  queries: ['<bos>', 'va'],
  keys: ['go', '.', '<eos>'],
  layers: 1,
  heads: 2,
  xTitle: '',
  yTitle: '',
};

const key = (l: { head: number; query: number; key: number }) => `${l.head}:${l.query}:${l.key}`;

describe('head view model', () => {
  it('draws a line per (head, query, key) with opacity = weight, none masked or too faint', () => {
    const m = headViewModel(SECTION, 0, [true, true], null);
    assert.deepEqual(m.lines.map(key), [
      '0:0:0',
      '0:0:1',
      '0:1:1',
      '0:1:2',
      '1:0:0',
      '1:0:1',
      '1:1:0',
      '1:1:1',
      '1:1:2',
    ]);
    assert.ok(0.01 < MIN_LINE_WEIGHT, 'the 0.01 weight is left out');
    assert.deepEqual(
      m.lines.map((l) => l.opacity),
      [0.7, 0.3, 0.49, 0.5, 0.5, 0.5, 0.2, 0.2, 0.6],
    );
    assert.equal(m.height, 3 * ROW_HEIGHT);
  });

  it('a focused query or key keeps only its lines; a head that is off draws none', () => {
    const q = headViewModel(SECTION, 0, [true, true], { side: 'query', index: 1 });
    assert.ok(q.lines.length === 5 && q.lines.every((l) => l.query === 1));
    const k = headViewModel(SECTION, 0, [false, true], { side: 'key', index: 2 });
    assert.deepEqual(k.lines.map(key), ['1:1:2']);
    assert.deepEqual(k.heads, [1]);
  });

  it('rows, colours and the text summary', () => {
    assert.equal(rowY(2), 2.5 * ROW_HEIGHT);
    assert.equal(headColour(0), 'var(--vscode-charts-blue)');
    assert.equal(headColour(HEAD_COLOURS.length), headColour(0), 'colours repeat past six heads');
    const m = headViewModel(SECTION, 0, [true, true], { side: 'query', index: 0 });
    assert.equal(
      headViewSummary(m, { side: 'query', index: 0 }),
      'Lines of query <bos>. head 1: strongest <bos> → go (0.70); head 2: strongest <bos> → go (0.50).',
    );
    const none = headViewModel(SECTION, 0, [false, false], null);
    assert.equal(headViewSummary(none, null), 'Every head of this layer is switched off.');
  });
});
