/**
 * The overlaid loss curves of the checked runs: one Vega-Lite chart, re-embedded when the
 * checked runs or the theme change (a note instead when no checked run has a point), and its
 * PNG / SVG export through the chart's View.
 */
import { RunCurve, runCurvesSpec } from '../specs/runCurves';
import { ChartTheme } from '../specs/theme';
import { h } from '../shared/dom';
import { emptyState } from '../shared/layout';
import { Chart, renderChart } from '../shared/render';

export interface CurvesChart {
  /** The chart's container and its "nothing to draw" note. */
  elements: HTMLElement[];
  render(curves: readonly RunCurve[], theme: ChartTheme): Promise<void>;
  /** Charts on screen: 1 or 0. */
  count(): number;
  /** A PNG data URL at twice the size on screen. */
  png(): Promise<string>;
  svg(): Promise<string>;
}

export function createCurvesChart(): CurvesChart {
  const chartEl = h('div', { class: 'chart loss-chart runs-chart', id: 'curves-chart' });
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
    elements: [chartEl, empty],
    async render(curves, theme) {
      chart?.finalize();
      chart = null;
      const drawable = curves.filter((c) => c.points.length > 0);
      empty.hidden = drawable.length > 0;
      chartEl.hidden = drawable.length === 0;
      chartEl.dataset.runs = drawable.map((c) => c.runId).join(' ');
      if (drawable.length === 0) {
        chartEl.replaceChildren();
        return;
      }
      chart = await renderChart(chartEl, runCurvesSpec(drawable, theme));
    },
    count: () => (chart ? 1 : 0),
    png: () => view().view.toImageURL('png', 2),
    svg: () => view().view.toSVG(),
  };
}
