/**
 * The live loss-per-token curve: embedded on the first epoch (a note before), then each new
 * epoch is appended to the same view through the vega View API instead of embedding it again.
 * "Show as table" shows the same points as a table instead (a row appended per epoch).
 */
import type { EpochPoint } from '../../src/shared/protocol';
import { lossCaption, lossRow, lossTable } from '../specs/dataTables';
import { LOSS_DATASET, lossCurveSpec } from '../specs/lossCurve';
import type { ChartTheme } from '../specs/theme';
import { dataTable, tableRow } from '../shared/dataTable';
import { h, replaceChildren } from '../shared/dom';
import { emptyState } from '../shared/layout';
import { Chart, renderChart } from '../shared/render';

export interface LossChart {
  /** The chart's container, its table and its "no epoch yet" note. */
  elements: HTMLElement[];
  /** `table`: the points as a table instead of the chart. */
  render(
    points: readonly EpochPoint[],
    numEpochs: number | undefined,
    theme: ChartTheme,
    table: boolean,
  ): Promise<void>;
  /** Appends a point to what is drawn; false when there is nothing yet (render instead). */
  append(point: EpochPoint, points: readonly EpochPoint[]): Promise<boolean>;
  /** Charts on screen: 1 or 0. */
  count(): number;
}

const LOSS_COLUMNS = lossTable([]).columns;

export function createLossChart(): LossChart {
  const chartEl = h('div', { class: 'chart loss-chart', id: 'loss-chart' });
  const tableEl = h('div', { id: 'loss-table', hidden: true });
  const empty = emptyState('No epoch has finished yet.', { id: 'loss-empty' });
  let chart: Chart | null = null;
  return {
    elements: [chartEl, tableEl, empty],
    async render(points, numEpochs, theme, table) {
      chart?.finalize();
      chart = null;
      empty.hidden = points.length > 0;
      chartEl.hidden = points.length === 0 || table;
      tableEl.hidden = points.length === 0 || !table;
      chartEl.replaceChildren();
      replaceChildren(
        tableEl,
        table && points.length ? dataTable(lossTable(points), 'loss-table') : null,
      );
      if (points.length === 0 || table) return;
      chart = await renderChart(chartEl, lossCurveSpec(points, theme, { numEpochs }));
    },
    async append(point, points) {
      const body = tableEl.querySelector('tbody');
      if (body && !tableEl.hidden) {
        body.append(tableRow(lossRow(point), { columns: LOSS_COLUMNS }));
        const caption = tableEl.querySelector('caption');
        if (caption) caption.textContent = lossCaption(points.length);
        return true;
      }
      if (!chart) return false;
      await chart.view.insert(LOSS_DATASET, [{ ...point }]).runAsync();
      return true;
    },
    count: () => (chart ? 1 : 0),
  };
}
