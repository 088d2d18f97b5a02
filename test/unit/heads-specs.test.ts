/** The Heads panel's pure parts: the table's columns and sorting, the grids, the pruning curve. */
import { strict as assert } from 'node:assert';
import {
  HEAD_COLUMNS,
  headComparisonTable,
  headName,
  importanceGrid,
  importanceMax,
  nextHeadSort,
  sortHeads,
} from '../../webview/specs/headRows';
import {
  pruningCurveSpec,
  pruningCurvesSpec,
  pruningData,
  pruningTable,
} from '../../webview/specs/pruningCurve';
import { sampleHeadReport } from '../helpers/headReports';
import { chartThemeFrom } from '../../webview/specs/theme';
import { NO_WINDOW, compileAndRun } from '../helpers/vega';

const TEST_THEME = chartThemeFrom(() => '', 'dark');

describe('Heads panel specs (webview/specs/headRows.ts, pruningCurve.ts)', () => {
  const report = sampleHeadReport(2, 4);

  it('names heads as the CLI does, 1-based', () => {
    assert.equal(headName({ kind: 'encoderDecoder', layer: 1, head: 3 }), 'cross 2.4');
    assert.equal(headName(report.heads[0]), 'enc 1.1');
  });

  it('sorts by any column, ties in kind/layer/head order, and flips on a second click', () => {
    const byGradient = sortHeads(report.heads, { column: 'gradient', direction: 'desc' });
    assert.deepEqual(byGradient.slice(0, 2).map(headName), ['cross 2.4', 'cross 2.3']);
    const byLabel = sortHeads(report.heads, { column: 'label', direction: 'desc' });
    assert.deepEqual(
      byLabel.slice(0, 2).map((r) => r.label),
      ['previous token', 'broad'],
    );
    const byEntropy = sortHeads(report.heads, { column: 'entropy', direction: 'asc' });
    assert.deepEqual(byEntropy.map(headName), report.heads.map(headName), 'all tied');
    assert.deepEqual(nextHeadSort({ column: 'gradient', direction: 'desc' }, 'gradient'), {
      column: 'gradient',
      direction: 'asc',
    });
    assert.equal(
      nextHeadSort({ column: 'gradient', direction: 'desc' }, 'bleuDrop').direction,
      'desc',
    );
    assert.equal(nextHeadSort({ column: 'gradient', direction: 'desc' }, 'head').direction, 'asc');
    assert.ok(HEAD_COLUMNS.every((c) => typeof c.text(report.heads[1]) === 'string'));
  });

  it('lays one kind out as [layer][head] on one scale for all kinds', () => {
    const { cells, max } = importanceGrid(report.heads, 'decoderSelf', 'gradient');
    assert.equal(cells.length, 2);
    assert.equal(cells[0].length, 4);
    assert.equal(headName(cells[1][2]!), 'dec 2.3');
    assert.equal(max, report.heads[23].gradient, 'the largest gradient of any kind');
    assert.equal(
      importanceGrid(report.heads, 'encoderSelf', 'bleuDrop').max,
      report.heads[23].bleuDrop,
    );
  });

  it('draws the pruning curve: a point per k, BLEU on [0, 1], the last head off in the tooltip', () => {
    const data = pruningData(report);
    assert.equal(data.length, 25);
    assert.deepEqual(data[0], { k: 0, bleu: 0.6, loss: 0.2, head: '—' });
    assert.equal(data[1].head, 'enc 1.1');
    const spec = pruningCurveSpec(report, TEST_THEME) as unknown as {
      data: { values: unknown[] };
      encoding: {
        x: { title: string; scale: { domain: number[] } };
        y: { scale: { domain: number[] } };
      };
    };
    assert.equal(spec.data.values.length, 25);
    assert.deepEqual(spec.encoding.x.scale.domain, [0, 24]);
    assert.deepEqual(spec.encoding.y.scale.domain, [0, 1]);
    assert.match(spec.encoding.x.title, /by gradient/);
  });

  it('compiles and runs in vega without warnings', async () => {
    const { view } = await compileAndRun(pruningCurveSpec(report, TEST_THEME), [NO_WINDOW]);
    view.finalize();
  });
});

describe('Compare Runs: head importance of two runs (headRows.ts, pruningCurve.ts)', () => {
  const big = sampleHeadReport(2, 4); // 24 heads, gradients up to 2.3
  const small = sampleHeadReport(1, 2); // 6 heads, gradients up to 0.5

  it('colours both runs on one scale: the largest magnitude of either', () => {
    assert.equal(importanceMax([small.heads], 'gradient'), 0.5);
    assert.equal(importanceMax([small.heads, big.heads], 'gradient'), big.heads[23].gradient);
    assert.equal(importanceMax([], 'gradient'), 1e-12, 'no report: a positive scale still');
    const shared = importanceMax([small.heads, big.heads], 'gradient');
    assert.equal(importanceGrid(small.heads, 'encoderSelf', 'gradient', shared).max, shared);
    assert.equal(importanceGrid(small.heads, 'encoderSelf', 'gradient').max, 0.5, 'its own');
  });

  it('lists every head of either run in one table, — where a run has no such head', () => {
    const t = headComparisonTable(
      [
        { label: 'A: Run 2', rows: small.heads },
        { label: 'B: Run 5', rows: big.heads },
      ],
      'gradient',
    );
    assert.deepEqual(
      t.columns.map((c) => c.label),
      ['A: Run 2', 'B: Run 5'],
    );
    assert.equal(t.rows.length, 24);
    assert.deepEqual(t.rows[0], { header: 'enc 1.1', cells: ['0.000', '0.000'] });
    const enc22 = t.rows.find((r) => r.header === 'enc 2.2')!;
    assert.deepEqual(enc22.cells, ['—', big.heads[5].gradient.toFixed(3)]);
    assert.match(t.caption, /^Gradient of every head/);
    const none = headComparisonTable([{ label: 'A', rows: null }], 'bleuDrop');
    assert.equal(none.rows.length, 0);
  });

  it('draws both pruning curves on one chart, a colour per run, and as a table', async () => {
    const series = [
      { label: 'A: Run 2', color: '#111111', report: small },
      { label: 'B: Run 5', color: '#222222', report: big },
    ];
    const spec = pruningCurvesSpec(series, TEST_THEME) as unknown as {
      data: { values: { run: string; k: number }[] };
      encoding: {
        x: { scale: { domain: number[] } };
        color: { scale: { domain: string[]; range: string[] }; legend: unknown };
      };
    };
    assert.equal(spec.data.values.length, 7 + 25);
    assert.deepEqual(spec.encoding.x.scale.domain, [0, 24], 'the larger model sets the axis');
    assert.deepEqual(spec.encoding.color.scale.domain, ['A: Run 2', 'B: Run 5']);
    assert.deepEqual(spec.encoding.color.scale.range, ['#111111', '#222222']);
    assert.ok(spec.encoding.color.legend, 'two runs: a legend');
    const single = pruningCurveSpec(big, TEST_THEME) as unknown as typeof spec;
    assert.equal(single.encoding.color.legend, null, 'one run: no legend');
    const { view } = await compileAndRun(pruningCurvesSpec(series, TEST_THEME), [NO_WINDOW]);
    view.finalize();
    const table = pruningTable(series);
    assert.equal(table.rows.length, 25);
    assert.deepEqual(table.rows[0].cells, ['0.600', '—', '0.600', '—']);
    assert.deepEqual(table.rows[24].cells.slice(0, 2), ['—', '—'], 'past the small model');
    assert.equal(table.columns.length, 4);
  });
});
