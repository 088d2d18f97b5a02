/**
 * The live loss-per-token curve: embedded on the first epoch (a note before), then each new
 * epoch is appended to the same view through the vega View API instead of embedding it again.
 */
import type { EpochPoint } from '../../src/shared/protocol';
import { LOSS_DATASET, lossCurveSpec } from '../specs/lossCurve';
import type { ChartTheme } from '../specs/theme';
import { h } from '../shared/dom';
import { emptyState } from '../shared/layout';
import { Chart, renderChart } from '../shared/render';

export interface LossChart {
  /** The chart's container and its "no epoch yet" note. */
  elements: HTMLElement[];
  render(
    points: readonly EpochPoint[],
    numEpochs: number | undefined,
    theme: ChartTheme,
  ): Promise<void>;
  /** Appends a point to the drawn view; false when there is no chart yet (render instead). */
  append(point: EpochPoint): Promise<boolean>;
  /** Charts on screen: 1 or 0. */
  count(): number;
}

export function createLossChart(): LossChart {
  const chartEl = h('div', { class: 'chart loss-chart', id: 'loss-chart' });
  const empty = emptyState('No epoch has finished yet.', { id: 'loss-empty' });
  let chart: Chart | null = null;
  return {
    elements: [chartEl, empty],
    async render(points, numEpochs, theme) {
      chart?.finalize();
      chart = null;
      empty.hidden = points.length > 0;
      chartEl.hidden = points.length === 0;
      if (points.length === 0) {
        chartEl.replaceChildren();
        return;
      }
      chart = await renderChart(chartEl, lossCurveSpec(points, theme, { numEpochs }));
    },
    async append(point) {
      if (!chart) return false;
      await chart.view.insert(LOSS_DATASET, [{ ...point }]).runAsync();
      return true;
    },
    count: () => (chart ? 1 : 0),
  };
}
