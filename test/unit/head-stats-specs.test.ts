/**
 * The attention panel's statistics of the sentence shown (webview/specs/headStatRows.ts) and its
 * rollout map (webview/specs/rolloutMap.ts): rows, held-out matching, sorting, labels, the
 * rollout with heads off, and the rollout's heatmap spec compiled and run.
 */
import { strict as assert } from 'node:assert';
import type { AttentionMaps } from '../../src/decode/attentionMaps';
import { headStatsOf } from '../../src/explore/headStats';
import { encoderRollout } from '../../src/explore/rollout';
import { headsOffMask } from '../../src/model/headMask';
import {
  DEFAULT_STATS_SORT,
  LABEL_COLUMN,
  STAT_COLUMNS,
  labelledName,
  labelsOf,
  sortStatRows,
  statRowName,
  statRows,
} from '../../webview/specs/headStatRows';
import { HEATMAP_CELLS, heatmapSpec } from '../../webview/specs/heatmap';
import { encoderMask, rolloutDomainMax, rolloutMap } from '../../webview/specs/rolloutMap';
import { chartThemeFrom } from '../../webview/specs/theme';
import { sampleHeadReport } from '../helpers/headReports';
import { compileAndRun } from '../helpers/vega';

const THEME = chartThemeFrom(() => '', 'dark');

/**
 * Two encoder layers of two heads on "go . <eos> <pad>": head 0 looks at the previous token
 * (row 0 at itself), head 1 is uniform; one decoder and one cross layer of two heads.
 */
function maps(): AttentionMaps {
  const prev: (number | null)[][] = [
    [1, 0, 0, null],
    [1, 0, 0, null],
    [0, 1, 0, null],
    [0, 1, 0, null],
  ];
  const uniform = prev.map(() => [1 / 3, 1 / 3, 1 / 3, null]);
  const dec = [
    [1, null],
    [0.25, 0.75],
  ];
  const cross = [
    [0, 0, 1, null],
    [0, 0, 1, null],
  ];
  return {
    sourceTokens: ['go', '.', '<eos>', '<pad>'],
    sourceValidLen: 3,
    targetInputTokens: ['<bos>', 'va'],
    outputTokens: ['va', '<eos>'],
    encoderSelf: [
      [prev, uniform],
      [uniform, prev],
    ],
    decoderSelf: [[dec, dec]],
    encoderDecoder: [[cross, cross]],
  };
}

describe('attention panel statistics (webview/specs/headStatRows.ts)', () => {
  it('makes a row per head, kind by kind, with its statistics and label', () => {
    const rows = statRows(headStatsOf(maps()));
    assert.deepEqual(rows.map(statRowName), [
      'enc 1.1',
      'enc 1.2',
      'enc 2.1',
      'enc 2.2',
      'dec 1.1',
      'dec 1.2',
      'cross 1.1',
      'cross 1.2',
    ]);
    assert.equal(rows[0].label, 'previous token');
    assert.equal(rows[1].label, 'broad');
    assert.equal(rows[6].label, 'to <eos>');
    assert.ok(rows.every((r) => r.heldOut === null && !r.off));
    const prev = STAT_COLUMNS.find((c) => c.key === 'previous')!;
    assert.equal(prev.text(rows[0]), '67%'); // rows 1 and 2 of 3 look back
    assert.equal(STAT_COLUMNS[0].text(rows[1]), Math.log(3).toFixed(2));
    assert.equal(LABEL_COLUMN.text(rows[4]), 'same token');
    assert.equal(LABEL_COLUMN.text({ ...rows[4], label: null }), '—');
  });

  it('puts each head’s held-out averages beside it, matched by kind, layer and head', () => {
    const report = sampleHeadReport(2, 4); // 2 layers × 4 heads: more than these maps have
    const rows = statRows(headStatsOf(maps()), { heldOut: report.heads });
    const held = (kind: string, layer: number, head: number) =>
      report.heads.find((r) => r.kind === kind && r.layer === layer && r.head === head)!;
    for (const r of rows) {
      assert.deepEqual(r.heldOut, {
        stats: held(r.kind, r.layer, r.head).stats,
        label: held(r.kind, r.layer, r.head).label,
      });
    }
    assert.equal(rows[1].heldOut!.label, 'previous token'); // the report's head 1
    const smaller = statRows(headStatsOf(maps()), { heldOut: sampleHeadReport(1, 1).heads });
    assert.equal(smaller.filter((r) => r.heldOut).length, 3, 'one head per kind in that report');
  });

  it('marks the heads that are off', () => {
    const rows = statRows(headStatsOf(maps()), {
      off: [{ kind: 'decoderSelf', layer: 0, head: 1 }],
    });
    assert.deepEqual(rows.filter((r) => r.off).map(statRowName), ['dec 1.2 (off)']);
  });

  it('sorts by any column (ties in head order), flips, and filters by kind', () => {
    const rows = statRows(headStatsOf(maps()));
    const byPrev = sortStatRows(rows, { column: 'previous', direction: 'desc' }, 'all');
    assert.deepEqual(byPrev.slice(0, 2).map(statRowName), ['enc 1.1', 'enc 2.2']);
    const asc = sortStatRows(rows, { column: 'previous', direction: 'asc' }, 'all');
    assert.equal(statRowName(asc[asc.length - 1]), 'enc 2.2', 'ties stay in head order');
    const byLabel = sortStatRows(rows, { column: 'label', direction: 'asc' }, 'encoderSelf');
    assert.deepEqual(
      byLabel.map((r) => r.label),
      ['broad', 'broad', 'previous token', 'previous token'],
    );
    const heads = sortStatRows(rows, DEFAULT_STATS_SORT, 'all');
    assert.deepEqual(heads, rows, 'the default is head order');
    assert.deepEqual(
      sortStatRows(rows, { column: 'head', direction: 'desc' }, 'decoderSelf').map(statRowName),
      ['dec 1.2', 'dec 1.1'],
    );
    assert.notEqual(sortStatRows(rows, DEFAULT_STATS_SORT, 'all'), rows, 'a new array');
  });

  it('labels the heatmaps with what dominates, in their accessible names', () => {
    const labels = labelsOf(maps());
    assert.deepEqual(labels.encoderSelf, [
      ['previous token', 'broad'],
      ['broad', 'previous token'],
    ]);
    assert.equal(
      labelledName('Encoder self-attention, layer 1, head 1', labels.encoderSelf[0][0]),
      'Encoder self-attention, layer 1, head 1: previous token',
    );
    assert.equal(labelledName('x', null), 'x');
  });
});

describe('attention panel rollout map (webview/specs/rolloutMap.ts)', () => {
  it('shows the last layer’s rollout of the real source tokens by default', () => {
    const m = rolloutMap(maps(), { off: [], layer: null, scale: 'max' })!;
    const expected = encoderRollout(maps());
    assert.equal(m.layers, 2);
    assert.equal(m.layer, 1);
    assert.deepEqual(m.section.grid, [[expected.layers[1]]]);
    assert.deepEqual(m.section.queries, ['go', '.', '<eos>']);
    assert.deepEqual(m.section.keys, m.section.queries);
    assert.equal(m.section.layers, 1);
    assert.equal(m.section.heads, 1);
    assert.equal(m.headsOff, 0);
    assert.match(m.section.title, /after encoder layer 2/);
  });

  it('follows the chosen layer, kept within the layers', () => {
    const first = rolloutMap(maps(), { off: [], layer: 0, scale: 'max' })!;
    assert.deepEqual(first.section.grid[0][0], encoderRollout(maps()).layers[0]);
    assert.equal(rolloutMap(maps(), { off: [], layer: 9, scale: 'max' })!.layer, 1);
  });

  it('leaves the encoder heads that are off out of the means (the others change nothing)', () => {
    const off = [
      { kind: 'encoderSelf' as const, layer: 1, head: 0 },
      { kind: 'decoderSelf' as const, layer: 0, head: 0 },
    ];
    const mask = headsOffMask({ numLayers: 2, numHeads: 2 }, [off[0]]);
    assert.deepEqual(encoderMask(maps(), off).encoderSelf, mask.encoderSelf);
    const m = rolloutMap(maps(), { off, layer: null, scale: 'max' })!;
    assert.equal(m.headsOff, 1);
    assert.deepEqual(m.section.grid[0][0], encoderRollout(maps(), mask).layers[1]);
    assert.notDeepEqual(m.section.grid[0][0], encoderRollout(maps()).layers[1]);
    const decoderOnly = rolloutMap(maps(), { off: [off[1]], layer: null, scale: 'max' })!;
    assert.deepEqual(decoderOnly.section.grid[0][0], encoderRollout(maps()).layers[1]);
  });

  it('has its own colour scale: 0 to 1, or to its largest value rounded up to 0.05', () => {
    assert.equal(rolloutDomainMax([[0.61, 0.2]], 'max'), 0.65);
    assert.equal(rolloutDomainMax([[0.61, 0.2]], 'one'), 1);
    assert.equal(rolloutDomainMax([[0]], 'max'), 1);
    const m = rolloutMap(maps(), { off: [], layer: null, scale: 'max' })!;
    assert.equal(m.domainMax, rolloutDomainMax(m.section.grid[0][0] as number[][], 'max'));
  });

  it('is nothing without an encoder layer or a source token', () => {
    assert.equal(
      rolloutMap({ ...maps(), encoderSelf: [] }, { off: [], layer: null, scale: 'max' }),
      null,
    );
    assert.equal(
      rolloutMap({ ...maps(), sourceValidLen: 0 }, { off: [], layer: null, scale: 'max' }),
      null,
    );
  });

  it('draws as a heatmap: one cell per position × token, compiled and run by vega', async () => {
    const m = rolloutMap(maps(), { off: [], layer: null, scale: 'max' })!;
    const spec = heatmapSpec({
      queries: m.section.queries,
      keys: m.section.keys,
      weights: m.section.grid[0][0],
      theme: THEME,
      domainMax: m.domainMax,
      cellSize: 14,
    });
    const { view } = await compileAndRun(spec);
    try {
      const cells = view.data(HEATMAP_CELLS);
      assert.equal(cells.length, 9);
      const sums = [0, 1, 2].map((q) =>
        cells.filter((c) => c.qi === q).reduce((s, c) => s + (c.weight as number), 0),
      );
      for (const s of sums) assert.ok(Math.abs(s - 1) < 1e-12, `a row sums to 1: ${s}`);
    } finally {
      view.finalize();
    }
  });
});
