/**
 * Head importance of two runs (issue 13 item 3): for Run A and Run B (the runs picked for the
 * attention comparison), each kind's layer × head grid of the chosen score (the Heads panel's
 * grids, shared/headGrids.ts) side by side on one colour scale, and both pruning curves on one
 * chart; a run without a head report says so, with a "Score Head Importance" button for it.
 * "Show as table": the heads as one table (a column per run) and the curves as a table.
 */
import type { RunRecord } from '../../src/shared/protocol';
import { runLabel } from '../../src/runs/runLabel';
import { ImportanceMeasure, MEASURES, headComparisonTable, importanceMax } from '../specs/headRows';
import { PruningSeries, pruningCurvesSpec, pruningTable } from '../specs/pruningCurve';
import type { ChartTheme } from '../specs/theme';
import { dataTable } from '../shared/dataTable';
import { h, replaceChildren } from '../shared/dom';
import { headGrids } from '../shared/headGrids';
import { emptyState, toolbar, toolbarLabel } from '../shared/layout';
import { Chart, renderChart } from '../shared/render';
import { segmented } from '../shared/segmented';
import { toggleButton } from '../shared/toggleButton';

/** One side: run A or B as picked (null: none to pick), and its colour on the loss curves. */
export interface HeadsSide {
  letter: 'A' | 'B';
  run: RunRecord | null;
  color: string;
}

export interface HeadsCompareHandlers {
  onMeasure(measure: ImportanceMeasure): void;
  onTable(show: boolean): void;
  /** "Score Head Importance" for a run without a report. */
  onScore(runId: string): void;
}

export interface HeadsCompare {
  element: HTMLElement;
  render(
    sides: readonly HeadsSide[],
    measure: ImportanceMeasure,
    table: boolean,
    theme: ChartTheme,
  ): Promise<void>;
  /** Charts on screen: the pruning chart (1) or none. */
  count(): number;
}

/** What one side shows above its grids: its report's pairs and baseline, or why it has none. */
function sideView(side: HeadsSide, grids: HTMLElement | null, onScore: (id: string) => void) {
  const { run, letter } = side;
  const report = run?.heads;
  const title = h(
    'h3',
    {},
    h('span', { class: 'side-letter' }, letter),
    ' ',
    run ? runLabel(run) : 'No run',
  );
  let note: HTMLElement;
  if (!run) note = h('p', { class: 'empty' }, `Pick run ${letter} above.`);
  else if (report) {
    note = h(
      'p',
      { class: 'caption muted' },
      `${report.heads.length} heads on ${report.count} held-out pairs; baseline BLEU-2 ${report.baseline.bleu.toFixed(3)}.`,
    );
  } else {
    note = emptyState(
      `${runLabel(run)} has no head report yet: Score Head Importance masks each of its heads in turn over its held-out pairs.`,
      {
        actions: [
          {
            id: `heads-score-${letter}`,
            text: 'Score Head Importance',
            onClick: () => onScore(run.id),
          },
        ],
      },
    );
  }
  return h(
    'section',
    { class: 'heads-side', 'data-side': letter, 'data-run-id': run?.id ?? null },
    title,
    note,
    grids,
  );
}

/** "A: Run 3 · 2 layers" (the legend, the table's columns). */
const sideLabel = (s: HeadsSide): string => (s.run ? `${s.letter}: ${runLabel(s.run)}` : s.letter);

/** Each side's title and note, and its grids (on the scale of both) unless tables are shown. */
function sideViews(
  sides: readonly HeadsSide[],
  measure: ImportanceMeasure,
  table: boolean,
  onScore: (runId: string) => void,
): HTMLElement[] {
  const reports = sides.flatMap((s) => (s.run?.heads ? [s.run.heads.heads] : []));
  const max = importanceMax(reports, measure);
  return sides.map((s) => {
    const rows = s.run?.heads?.heads;
    const grids =
      rows && !table
        ? headGrids(rows, measure, {
            id: `head-grids-${s.letter}`,
            max,
            captionPrefix: `${s.letter}: `,
          })
        : null;
    return sideView(s, grids, onScore);
  });
}

/** "Show as table": both runs' heads in one table, and the curves as a table. */
function tablesOf(
  sides: readonly HeadsSide[],
  measure: ImportanceMeasure,
  series: readonly PruningSeries[],
): HTMLElement[] {
  const labelled = sides.map((s) => ({ label: sideLabel(s), rows: s.run?.heads?.heads ?? null }));
  return [
    dataTable(headComparisonTable(labelled, measure), 'heads-compare-data'),
    dataTable(pruningTable(series), 'pruning-data'),
  ];
}

function controls(handlers: HeadsCompareHandlers) {
  const measure = segmented<ImportanceMeasure>({
    label: 'Colour the head grids by',
    options: MEASURES.map((m) => ({
      value: m.value,
      text: m.text,
      id: `heads-measure-${m.value}`,
    })),
    onSelect: handlers.onMeasure,
  });
  const tableToggle = toggleButton({
    id: 'heads-show-table',
    text: 'Show as table',
    title:
      'Every head of both runs as one table (a column per run), and the pruning curves as a table',
    onToggle: handlers.onTable,
  });
  return { measure, tableToggle };
}

export function createHeadsCompare(handlers: HeadsCompareHandlers): HeadsCompare {
  const { measure, tableToggle } = controls(handlers);
  const sidesEl = h('div', { class: 'heads-sides', id: 'heads-sides' });
  const tableEl = h('div', { id: 'heads-compare-table' });
  const chartEl = h('div', { class: 'chart loss-chart', id: 'heads-pruning-chart' });
  const curvesEl = h('div', { id: 'heads-pruning' }, h('h3', {}, 'Pruning curves'), chartEl);
  let chart: Chart | null = null;

  return {
    element: h(
      'div',
      { id: 'heads-compare' },
      toolbar(toolbarLabel('Colour by:'), measure.element, tableToggle.element),
      sidesEl,
      tableEl,
      curvesEl,
    ),
    count: () => (chart ? 1 : 0),
    async render(sides, chosen, table, theme) {
      chart?.finalize();
      chart = null;
      measure.render(chosen);
      tableToggle.render(table);
      replaceChildren(sidesEl, sideViews(sides, chosen, table, handlers.onScore));
      const series: PruningSeries[] = sides.flatMap((s) =>
        s.run?.heads ? [{ label: sideLabel(s), color: s.color, report: s.run.heads }] : [],
      );
      replaceChildren(tableEl, table && series.length ? tablesOf(sides, chosen, series) : null);
      curvesEl.hidden = series.length === 0 || table;
      if (series.length && !table) {
        chart = await renderChart(chartEl, pruningCurvesSpec(series, theme));
      }
    },
  };
}
