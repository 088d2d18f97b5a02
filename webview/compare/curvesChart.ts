/**
 * The overlaid loss curves of the checked runs: one Vega-Lite chart, re-embedded when the
 * checked runs or the theme change (a note instead when no checked run has a point), or with
 * "Show as table" the same points as a table (a column per run); and the chart's PNG / SVG
 * export through its View.
 */
import { runCurvesTable } from '../specs/dataTables';
import { RunCurve, runCurvesSpec } from '../specs/runCurves';
import { ChartTheme } from '../specs/theme';
import { dataTable } from '../shared/dataTable';
import { h, replaceChildren } from '../shared/dom';
import { emptyState } from '../shared/layout';
import { Chart, renderChart } from '../shared/render';
import { toggleButton } from '../shared/toggleButton';

export interface CurvesChart {
  /** The "Show as table" button. */
  toggle: HTMLElement;
  /** The chart's container, its table and its "nothing to draw" note. */
  elements: HTMLElement[];
  /** `table`: the points as a table instead of the chart. */
  render(curves: readonly RunCurve[], theme: ChartTheme, table: boolean): Promise<void>;
  /** Charts on screen: 1 or 0. */
  count(): number;
  /** A PNG data URL at twice the size on screen. */
  png(): Promise<string>;
  svg(): Promise<string>;
}

export function createCurvesChart(onTable: (show: boolean) => void): CurvesChart {
  const chartEl = h('div', { class: 'chart loss-chart runs-chart', id: 'curves-chart' });
  const tableEl = h('div', { id: 'curves-table', hidden: true });
  const toggle = toggleButton({
    id: 'curves-show-table',
    text: 'Show as table',
    title: 'The checked runs’ loss per epoch as a table, a column per run',
    onToggle: onTable,
  });
  const empty = emptyState(
    'No curve to draw: check runs in the table that trained at least one epoch.',
    { id: 'curves-empty', hidden: true },
  );
  let chart: Chart | null = null;

  const view = (): Chart => {
    if (!chart) throw new Error('no loss curves on screen');
    return chart;
  };

  return {
    toggle: toggle.element,
    elements: [chartEl, tableEl, empty],
    async render(curves, theme, table) {
      chart?.finalize();
      chart = null;
      toggle.render(table);
      const drawable = curves.filter((c) => c.points.length > 0);
      empty.hidden = drawable.length > 0;
      chartEl.hidden = drawable.length === 0 || table;
      tableEl.hidden = drawable.length === 0 || !table;
      chartEl.dataset.runs = drawable.map((c) => c.runId).join(' ');
      chartEl.replaceChildren();
      replaceChildren(
        tableEl,
        table && drawable.length ? dataTable(runCurvesTable(drawable), 'curves-data') : null,
      );
      if (drawable.length === 0 || table) return;
      chart = await renderChart(chartEl, runCurvesSpec(drawable, theme));
    },
    count: () => (chart ? 1 : 0),
    png: () => view().view.toImageURL('png', 2),
    svg: () => view().view.toSVG(),
  };
}
