/**
 * The Compare Runs panel's pure parts: the overlaid loss curves spec (structure, and that it
 * compiles with vega-lite without warnings and runs in a headless vega View), the table's
 * columns, formatting and sorting, the CSV export, the seed table, the selections, the layout
 * of the attention comparison and the checks of the host's messages.
 */
import { strict as assert } from 'node:assert';
import { DEFAULT_HYPERPARAMETERS } from '../../src/config/hyperparameters';
import type {
  CompareAttentionResultMessage,
  RunRecord,
  RunsStateMessage,
} from '../../src/shared/protocol';
import { runsStateProblem } from '../../src/shared/validate';
import { compareResultProblem } from '../../webview/compare/guards';
import { compareLayout, LAYOUT } from '../../webview/specs/compareLayout';
import {
  ATTENTION_GRID,
  attentionGridLayout,
  cellToFit,
  labelWidth,
} from '../../webview/specs/gridLayout';
import {
  RUN_CURVES_DATASET,
  runCurves,
  RUN_DASHES,
  runCurvesSpec,
  runPalette,
  runPointRows,
  thin,
} from '../../webview/specs/runCurves';
import {
  columnByKey,
  DEFAULT_SORT,
  formatSize,
  formatDate,
  nextSort,
  NONE,
  RUN_COLUMNS,
  seedBleu,
  sortRuns,
} from '../../webview/specs/runRows';
import { CSV_COLUMNS, csvField, runsCsv } from '../../webview/specs/runsCsv';
import { seedComparison } from '../../webview/specs/runSeeds';
import {
  defaultChecked,
  MAX_DEFAULT_CHECKED,
  reconcilePicks,
  reconcileSelection,
} from '../../webview/specs/runSelection';
import { ChartTheme, chartThemeFrom } from '../../webview/specs/theme';
import { epochPoints, runRecord, scoredSentence } from '../helpers/runRecords';
import { compileAndRun, load, NO_WINDOW } from '../helpers/vega';

const theme: ChartTheme = chartThemeFrom(
  (n) =>
    ({
      '--vscode-editor-foreground': '#cccccc',
      '--vscode-editor-background': '#1f1f1f',
      '--vscode-font-size': '13px',
    })[n] ?? '',
  'dark',
);

const ctx = { currentRunId: null };
const numbers = (runs: RunRecord[]) => runs.map((r) => r.number);

describe('compare runs (webview/specs)', () => {
  describe('runCurvesSpec', () => {
    const all = [
      runRecord(1),
      runRecord(2, { points: epochPoints(3) }),
      runRecord(3, { points: epochPoints(8) }),
    ];
    const palette = ['#a', '#b', '#c'];

    it('has one colour domain entry per run, with its colour', () => {
      const curves = runCurves([all[2], all[0]], all, palette);
      const spec = runCurvesSpec(curves, theme) as unknown as {
        encoding: {
          color: { field: string; scale: { domain: string[]; range: string[] } };
          x: { field: string; title: string };
          y: { field: string; title: string };
        };
        datasets: Record<string, { run: string; epoch: number }[]>;
        data: { name: string };
      };
      assert.deepEqual(spec.encoding.color.scale.domain, ['Run 3', 'Run 1']);
      // Colours follow each run's place among all runs (by number), not among the shown ones.
      assert.deepEqual(spec.encoding.color.scale.range, ['#c', '#a']);
      assert.equal(spec.encoding.color.field, 'run');
      assert.deepEqual(spec.data, { name: RUN_CURVES_DATASET });
      const rows = spec.datasets[RUN_CURVES_DATASET];
      assert.equal(rows.length, 8 + 5);
      assert.equal(rows.filter((r) => r.run === 'Run 3').length, 8);
      assert.equal(spec.encoding.x.field, 'epoch');
      assert.equal(spec.encoding.x.title, 'epoch');
      assert.equal(spec.encoding.y.field, 'lossPerToken');
      assert.equal(spec.encoding.y.title, 'loss per token');
    });

    it('tells the runs apart without colour: a dash pattern each, in the one legend', async () => {
      const curves = runCurves([all[2], all[0]], all, palette);
      assert.deepEqual(
        curves.map((c) => c.dash),
        [RUN_DASHES[2], RUN_DASHES[0]],
      );
      const vl = await load<{
        compile(s: unknown): { spec: { legends?: { strokeDash?: string; stroke?: string }[] } };
      }>('vega-lite');
      const legends = vl.compile(runCurvesSpec(curves, theme)).spec.legends ?? [];
      assert.equal(legends.length, 1);
      assert.equal(legends[0].strokeDash, 'strokeDash');
      assert.equal(legends[0].stroke, 'color');
    });

    it('keeps a run’s colour when other runs are unchecked', () => {
      const both = runCurves([all[0], all[1]], all, palette);
      const one = runCurves([all[1]], all, palette);
      assert.equal(both[1].color, one[0].color);
      assert.deepEqual(both[1].dash, one[0].dash);
      assert.equal(runCurves([all[0]], all, []).at(0)?.color, '#888888');
    });

    it('makes one data row per point with the run’s name, model and numbers', () => {
      const rows = runPointRows(runCurves([all[1]], all, palette));
      assert.deepEqual(rows[0], {
        run: 'Run 2',
        runId: all[1].id,
        detail: '2 layers · dotProduct',
        epoch: 1,
        lossPerToken: 4,
        tokensPerSecond: 20000,
      });
      assert.equal(rows.length, 3);
    });

    it('thins long curves, keeping the first and the last point', () => {
      const long = Array.from({ length: 1001 }, (_, i) => i);
      const t = thin(long, 101);
      assert.equal(t.length, 101);
      assert.equal(t[0], 0);
      assert.equal(t[100], 1000);
      assert.deepEqual(thin([1, 2, 3], 10), [1, 2, 3]);
      const rows = runPointRows(
        runCurves([runRecord(9, { points: epochPoints(2000) })], all, palette),
        500,
      );
      assert.equal(rows.length, 500);
    });

    it('compiles without warnings and runs: every point, one colour per run', async () => {
      const { view } = await compileAndRun(runCurvesSpec(runCurves(all, all, palette), theme), [
        NO_WINDOW,
      ]);
      assert.equal(view.data(RUN_CURVES_DATASET).length, 5 + 3 + 8);
      assert.deepEqual(view.scale('color').domain(), ['Run 1', 'Run 2', 'Run 3']);
      assert.deepEqual(view.scale('color').range(), palette);
      view.finalize();
    });

    it('takes the palette from the theme’s chart colours, with fallbacks', () => {
      const vars: Record<string, string> = { '--vscode-charts-blue': '#0000ff' };
      const p = runPalette((n) => vars[n] ?? '', 'dark');
      assert.equal(p.length, 10);
      assert.equal(p[0], '#0000ff');
      assert.equal(p[2], '#89d185');
      assert.equal(runPalette(() => '', 'light')[2], '#388a34');
      assert.equal(new Set(p).size, 10);
    });
  });

  describe('table rows', () => {
    it('sorts numbers both ways, missing values last in both directions', () => {
      const runs = [
        runRecord(1, { heldOut: { count: 10, meanBleu2: 0.3, corpusBleu4: 0.1 } }),
        runRecord(2),
        runRecord(3, { heldOut: { count: 10, meanBleu2: 0.5, corpusBleu4: 0.2 } }),
        runRecord(4, { heldOut: { count: 10, meanBleu2: 0.1, corpusBleu4: 0.05 } }),
      ];
      assert.deepEqual(
        numbers(sortRuns(runs, { column: 'bleu2', direction: 'asc' }, ctx)),
        [4, 1, 3, 2],
      );
      assert.deepEqual(
        numbers(sortRuns(runs, { column: 'bleu2', direction: 'desc' }, ctx)),
        [3, 1, 4, 2],
      );
      // The input is not changed.
      assert.deepEqual(numbers(runs), [1, 2, 3, 4]);
    });

    it('sorts numerically, not as text (9 before 10)', () => {
      const runs = [runRecord(10), runRecord(9), runRecord(100)];
      assert.deepEqual(
        numbers(sortRuns(runs, { column: 'run', direction: 'asc' }, ctx)),
        [9, 10, 100],
      );
      assert.deepEqual(numbers(sortRuns(runs, DEFAULT_SORT, ctx)), [100, 10, 9]);
    });

    it('sorts strings, ties newest first', () => {
      const additive = { ...DEFAULT_HYPERPARAMETERS, attentionFunction: 'additive' as const };
      const runs = [
        runRecord(1),
        runRecord(2, { hyperparameters: additive }),
        runRecord(3),
        runRecord(4, { backend: null }),
      ];
      assert.deepEqual(
        numbers(sortRuns(runs, { column: 'attention', direction: 'asc' }, ctx)),
        [2, 4, 3, 1],
      );
      assert.deepEqual(
        numbers(sortRuns(runs, { column: 'attention', direction: 'desc' }, ctx)),
        [4, 3, 1, 2],
      );
      // No backend (null) goes last whichever the direction.
      assert.equal(sortRuns(runs, { column: 'backend', direction: 'asc' }, ctx)[3].number, 4);
      assert.equal(sortRuns(runs, { column: 'backend', direction: 'desc' }, ctx)[3].number, 4);
    });

    it('toggles the direction on the same column, starts with the column’s own', () => {
      assert.deepEqual(nextSort(DEFAULT_SORT, 'run'), { column: 'run', direction: 'asc' });
      assert.deepEqual(nextSort(DEFAULT_SORT, 'loss'), { column: 'loss', direction: 'asc' });
      assert.deepEqual(nextSort(DEFAULT_SORT, 'seedBleu'), {
        column: 'seedBleu',
        direction: 'desc',
      });
      assert.deepEqual(nextSort({ column: 'loss', direction: 'asc' }, 'loss'), {
        column: 'loss',
        direction: 'desc',
      });
    });

    it('has the columns the panel lists, each with a header and a title', () => {
      assert.deepEqual(
        RUN_COLUMNS.map((c) => c.key),
        [
          'run',
          'date',
          'status',
          'layers',
          'hidden',
          'heads',
          'attention',
          'pairs',
          'epochs',
          'backend',
          'loss',
          'speed',
          'time',
          'seedBleu',
          'bleu2',
          'bleu4',
          'size',
        ],
      );
      for (const c of RUN_COLUMNS) assert.ok(c.label && c.title, c.key);
    });

    it('formats cells: — when missing, epochs of those asked, held-out count in the title', () => {
      const text = (key: string, r: RunRecord) => columnByKey(key)!.text(r, ctx);
      const stopped = runRecord(1, { points: epochPoints(37, 200) });
      stopped.hyperparameters = { ...stopped.hyperparameters, numEpochs: 200 };
      assert.equal(text('epochs', stopped), '37 / 200');
      assert.equal(text('epochs', runRecord(2)), '5');
      assert.equal(text('bleu2', runRecord(2)), NONE);
      assert.equal(columnByKey('bleu2')!.cellTitle!(runRecord(2)), 'not scored');
      const scored = runRecord(3, {
        heldOut: { count: 1234, meanBleu2: 0.41234, corpusBleu4: 0.2 },
      });
      assert.equal(text('bleu2', scored), '0.412');
      assert.equal(columnByKey('bleu4')!.cellTitle!(scored), 'on 1,234 held-out pairs');
      assert.equal(text('loss', runRecord(4)), (4 / 5).toFixed(4));
      assert.equal(text('backend', runRecord(5, { backend: null })), NONE);
      assert.equal(text('loss', runRecord(6, { points: [], summary: null })), NONE);
      assert.equal(
        columnByKey('run')!.text(runRecord(7), { currentRunId: runRecord(7).id }),
        'Run 7 (current)',
      );
    });

    it('averages the seeds’ BLEU over those that have one', () => {
      assert.equal(seedBleu(runRecord(1)), 0.75);
      assert.equal(
        seedBleu(
          runRecord(2, { seeds: [scoredSentence('a', 'b'), scoredSentence('c', 'd', 0.2)] }),
        ),
        0.2,
      );
      assert.equal(seedBleu(runRecord(3, { seeds: [] })), null);
    });

    it('formats sizes in binary units and dates as local time', () => {
      assert.equal(formatSize(512), '512 bytes');
      assert.equal(formatSize(12.3 * 1024 * 1024), '12.3 MB');
      assert.equal(formatSize(500 * 1024 * 1024), '500 MB');
      assert.equal(formatSize(1536), '1.5 KB');
      assert.equal(formatSize(-1), NONE);
      assert.match(formatDate('2026-11-25T10:15:00.000Z'), /^2026-11-2[456] \d\d:\d\d$/);
      assert.equal(formatDate('not a date'), NONE);
    });
  });

  describe('CSV export', () => {
    it('quotes fields with quotes, commas and line breaks (RFC 4180)', () => {
      assert.equal(csvField('plain'), 'plain');
      assert.equal(csvField('a,b'), '"a,b"');
      assert.equal(csvField('say "hi"'), '"say ""hi"""');
      assert.equal(csvField('two\nlines'), '"two\nlines"');
      assert.equal(csvField('cr\rhere'), '"cr\rhere"');
      assert.equal(csvField(0.125), '0.125');
      assert.equal(csvField(Number.NaN), '');
      assert.equal(csvField(null), '');
      assert.equal(csvField(undefined), '');
      assert.equal(csvField(true), 'true');
    });

    it('writes a header and a line per run in order, CRLF-terminated, raw values', () => {
      const failed = runRecord(2, {
        status: 'failed',
        error: 'Out of memory, "wasm"\nat step 3',
        hasCheckpoint: false,
        backend: { name: 'wasm', label: 'WebAssembly (SIMD, 2 threads)', reason: '' },
      });
      const csv = runsCsv([failed, runRecord(1)], { currentRunId: runRecord(1).id });
      assert.ok(csv.endsWith('\r\n'));
      const records = parseCsv(csv);
      assert.equal(records.length, 3);
      assert.deepEqual(
        records[0],
        CSV_COLUMNS.map((c) => c.header),
      );
      for (const r of records) assert.equal(r.length, CSV_COLUMNS.length);
      const col = (name: string) => records[0].indexOf(name);
      assert.equal(records[1][col('run')], '2');
      assert.equal(records[1][col('error')], 'Out of memory, "wasm"\nat step 3');
      assert.equal(records[1][col('backend')], 'WebAssembly (SIMD, 2 threads)');
      assert.equal(records[1][col('current')], 'false');
      assert.equal(records[2][col('current')], 'true');
      assert.equal(records[2][col('lossPerToken')], String(4 / 5));
      assert.equal(records[2][col('heldOutMeanBleu2')], '');
      assert.equal(records[2][col('seedBleu')], '0.75');
    });
  });

  describe('seed table', () => {
    it('has a row per sentence, a column per run, null where a run has none', () => {
      const a = runRecord(2, {
        seeds: [scoredSentence('go .', 'va !', 1), scoredSentence('i lost .', 'perdu', 0.4)],
      });
      const b = runRecord(1, {
        seeds: [scoredSentence('i lost .', "j'ai perdu .", 1), scoredSentence('new .', 'neuf .')],
      });
      const c = runRecord(3, { seeds: [] });
      const data = seedComparison([a, b, c]);
      assert.deepEqual(
        data.columns.map((x) => x.label),
        ['Run 2', 'Run 1', 'Run 3'],
      );
      assert.deepEqual(
        data.rows.map((r) => r.source),
        ['go .', 'i lost .', 'new .'],
      );
      assert.equal(data.rows[0].reference, 'ref go .');
      assert.deepEqual(
        data.rows[1].cells.map((s) => s?.translation ?? null),
        ['perdu', "j'ai perdu .", null],
      );
      assert.deepEqual(
        data.rows[2].cells.map((s) => s?.translation ?? null),
        [null, 'neuf .', null],
      );
      assert.deepEqual(seedComparison([]), { columns: [], rows: [] });
    });
  });

  describe('selections', () => {
    const many = Array.from({ length: 11 }, (_, i) => runRecord(i + 1));

    it('checks every run, or the newest 8 when there are more', () => {
      assert.deepEqual(defaultChecked([runRecord(1), runRecord(2)]), [
        runRecord(2).id,
        runRecord(1).id,
      ]);
      const ids = defaultChecked(many);
      assert.equal(ids.length, MAX_DEFAULT_CHECKED);
      assert.deepEqual(
        ids,
        many
          .slice(3)
          .reverse()
          .map((r) => r.id),
      );
      assert.deepEqual(reconcileSelection(many, null).checked, ids);
    });

    it('keeps choices over a new list: deleted runs drop out, new runs are checked', () => {
      const first = reconcileSelection([runRecord(1), runRecord(2), runRecord(3)], null);
      const unchecked = { ...first, checked: [runRecord(3).id, runRecord(1).id] };
      const next = reconcileSelection([runRecord(2), runRecord(3), runRecord(4)], unchecked);
      assert.deepEqual(next.checked, [runRecord(3).id, runRecord(4).id]);
      assert.deepEqual(next.known, [runRecord(2).id, runRecord(3).id, runRecord(4).id]);
      assert.deepEqual(reconcileSelection([], next), { checked: [], known: [] });
    });

    it('picks the two newest runs with a model, keeps valid picks, replaces deleted ones', () => {
      const runs = [
        runRecord(1),
        runRecord(2),
        runRecord(3, { hasCheckpoint: false, status: 'failed' }),
      ];
      assert.deepEqual(reconcilePicks(runs, null), [runRecord(2).id, runRecord(1).id]);
      assert.deepEqual(reconcilePicks(runs, [runRecord(1).id, runRecord(2).id]), [
        runRecord(1).id,
        runRecord(2).id,
      ]);
      const four = [...runs, runRecord(4)];
      assert.deepEqual(reconcilePicks(four, [runRecord(3).id, runRecord(1).id]), [
        runRecord(4).id,
        runRecord(1).id,
      ]);
      assert.deepEqual(reconcilePicks(four, [runRecord(9).id, null]), [
        runRecord(4).id,
        runRecord(2).id,
      ]);
      assert.deepEqual(reconcilePicks([runRecord(1)], [runRecord(1).id, runRecord(2).id]), [
        runRecord(1).id,
        null,
      ]);
      assert.deepEqual(reconcilePicks([], null), [null, null]);
    });
  });

  describe('heatmap grid layout', () => {
    const side = (heads: number, keys: number) => ({
      heads,
      keys,
      queries: Array.from({ length: keys }, () => 'tok'),
    });

    it('puts the runs side by side when both fit with readable cells', () => {
      const wide = compareLayout(1000, [side(4, 4), side(4, 4)], 13);
      assert.equal(wide.mode, 'side-by-side');
      assert.ok(wide.cell >= LAYOUT.minSideBySide && wide.cell <= LAYOUT.maxCell, `${wide.cell}`);
    });

    it('stacks them when the panel is narrow, one cell size for both', () => {
      const narrow = compareLayout(520, [side(4, 4), side(4, 6)], 13);
      assert.equal(narrow.mode, 'stacked');
      assert.ok(narrow.cell >= LAYOUT.minCell && narrow.cell <= LAYOUT.maxCell);
      // The wider grid decides the cell: at most the cell that fits 6 keys.
      assert.ok(compareLayout(520, [side(4, 4)], 13).cell >= narrow.cell);
      assert.equal(compareLayout(5000, [side(1, 2), side(1, 2)], 13).cell, LAYOUT.maxCell);
    });

    it('wraps the heads of stacked grids into rows rather than shrink cells below 10 px', () => {
      const l = compareLayout(400, [side(4, 10), side(2, 10)], 13);
      assert.equal(l.mode, 'stacked');
      assert.ok(l.headsPerRow < 4 && l.cell >= LAYOUT.minCell, JSON.stringify(l));
      // Every head of a row fits the width.
      const fits = cellToFit(400, side(4, 10), 13, LAYOUT, l.headsPerRow);
      assert.ok(fits >= l.cell, `${fits} < ${l.cell}`);
      // Too narrow even for one head: one per row at the smallest cell.
      assert.deepEqual(compareLayout(120, [side(8, 10)], 13), {
        mode: 'stacked',
        cell: LAYOUT.floorCell,
        headsPerRow: 1,
      });
    });

    it("sizes the attention panel's cells to fit its widest section, from 10 to 22 px", () => {
      const g = ATTENTION_GRID;
      const fixed =
        g.rowHeader + labelWidth(side(4, 10).queries, 13) + 4 * (2 * g.chartPadding + g.headGap);
      const width = fixed + 40 * 18 + g.margin;
      const one = (cell: number) => ({ cell, headsPerRow: 4 });
      assert.deepEqual(attentionGridLayout(width, [side(4, 10)], 13), one(18));
      assert.deepEqual(attentionGridLayout(width - 1, [side(4, 10)], 13), one(17));
      assert.deepEqual(attentionGridLayout(width, [side(4, 10), side(4, 4)], 13), one(18));
      assert.deepEqual(attentionGridLayout(5000, [side(1, 2)], 13), { cell: 22, headsPerRow: 1 });
    });

    it('wraps heads into rows when one row would need cells under 10 px', () => {
      const g = ATTENTION_GRID;
      // One row of 4 heads at exactly 10 px fits; a pixel less wraps them.
      const fixed =
        g.rowHeader + labelWidth(side(4, 10).queries, 13) + 4 * (2 * g.chartPadding + g.headGap);
      const width = fixed + 40 * 10 + g.margin;
      assert.deepEqual(attentionGridLayout(width, [side(4, 10)], 13), { cell: 10, headsPerRow: 4 });
      const wrapped = attentionGridLayout(width - 1, [side(4, 10)], 13);
      assert.ok(wrapped.headsPerRow < 4 && wrapped.cell >= 10, JSON.stringify(wrapped));
      // A 400 px panel (about 340 px for the grid) shows two heads of 10 keys per row.
      assert.deepEqual(attentionGridLayout(340, [side(4, 10)], 13), { cell: 12, headsPerRow: 2 });
      // Wrapped rows have no row header: one head fits where it did not with one.
      assert.ok(cellToFit(200, side(4, 10), 13, g, 1) > cellToFit(200, side(1, 10), 13, g));
      // Narrower than one head at 10 px: one per row, at 10 px (the grid scrolls).
      assert.deepEqual(attentionGridLayout(150, [side(8, 10)], 13), { cell: 10, headsPerRow: 1 });
    });
  });

  describe('host message checks', () => {
    const good: RunsStateMessage = {
      type: 'runsState',
      runs: [runRecord(1), runRecord(2)],
      currentRunId: null,
      totalBytes: 3000,
      limitBytes: 1e9,
    };

    it('accepts a well-formed runsState, names what is wrong otherwise', () => {
      assert.equal(runsStateProblem(good), null);
      const broken = (over: object) => ({ ...good, ...over }) as RunsStateMessage;
      assert.match(runsStateProblem(broken({ runs: [{ id: 'x' }] }))!, /x: no number/);
      assert.match(
        runsStateProblem(broken({ runs: [{ ...runRecord(1), points: [{}] }] }))!,
        /bad points/,
      );
      assert.match(
        runsStateProblem(broken({ runs: [{ ...runRecord(1), hyperparameters: {} }] }))!,
        /hyperparameters/,
      );
      assert.match(runsStateProblem(broken({ runs: [runRecord(1), runRecord(1)] }))!, /same id/);
      assert.match(runsStateProblem(broken({ totalBytes: '1' }))!, /totalBytes/);
      assert.match(runsStateProblem(broken({ currentRunId: 3 }))!, /currentRunId/);
    });

    it('checks the sides of a compareAttentionResult', () => {
      const maps = {
        sourceTokens: ['go', '<eos>'],
        sourceValidLen: 2,
        targetInputTokens: ['<bos>'],
        outputTokens: ['<eos>'],
        encoderSelf: [],
        decoderSelf: [],
        encoderDecoder: [],
      };
      const ok: CompareAttentionResultMessage = {
        type: 'compareAttentionResult',
        sentence: 'go .',
        sides: [
          {
            runId: 'a',
            label: 'Run 1',
            item: {
              id: 1,
              source: 'go .',
              translation: 'va !',
              unknownTokens: [],
              attention: maps,
            },
          },
          { runId: 'b', label: 'Run 2', item: null, error: 'no checkpoint' },
        ],
      };
      assert.equal(compareResultProblem(ok), null);
      const bad = (over: object) => ({ ...ok, ...over }) as CompareAttentionResultMessage;
      assert.match(compareResultProblem(bad({ sentence: 1 }))!, /sentence/);
      assert.match(
        compareResultProblem(
          bad({ sides: [{ ...ok.sides[0], item: { ...ok.sides[0].item, attention: {} } }] }),
        )!,
        /attention maps/,
      );
      assert.match(compareResultProblem(bad({ sides: [{ label: 'x' }] }))!, /bad side/);
    });
  });
});

/** RFC 4180 reader for the round trip: quoted fields may hold commas, quotes, CR and LF. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else field += ch;
  }
  assert.equal(field, '', 'text after the last CRLF');
  return records;
}
