/**
 * The layer × head grid of one kind of attention, shared by the attention panel and Compare
 * Runs: a corner, a "Head n" header per column, a "Layer n" header per row, and one
 * <figure class="heatmap" data-kind data-layer data-head> per (layer, head) with its own
 * Vega-Lite view. Each heatmap is a separate small chart: simple to count and address, and
 * another snapshot swaps its data in place (the harness's --bench measured it as fast as one
 * faceted spec per kind). Styles: media/styles/charts.css.
 */
import type { AttentionSection } from '../specs/attentionSections';
import {
  HEATMAP_CELLS,
  HEATMAP_MASKED,
  heatmapSpec,
  matrixValues,
  splitMasked,
} from '../specs/heatmap';
import type { ChartTheme } from '../specs/theme';
import type { ComposeChart } from './compose';
import { h } from './dom';
import { Chart, renderChart } from './render';

export interface HeatmapGridOptions {
  /** Classes of the grid element besides `heatmap-grid`. */
  className?: string;
  rowHeaderPx: number;
  /** The specs' config.padding, around each plot. */
  chartPadding: number;
  /** Pixels per cell. */
  cell: number;
  /** Upper end of the colour scale shared by every heatmap. */
  domainMax: number;
  theme: ChartTheme;
  /** Extra attributes of each figure (e.g. which side of a comparison). */
  figureAttrs?: Record<string, string | number>;
  /** Put before each figure's aria-label ("Run 2: "). */
  labelPrefix?: string;
  /** Controls shown above one heatmap (the attention panel's head switch), or null. */
  figureTools?: (layer: number, head: number) => HTMLElement | null;
}

export interface HeatmapGrid {
  /** The grid in its horizontally scrolling box. */
  element: HTMLElement;
  /** Embeds every heatmap; if one fails, the others are finalized and the error is thrown. */
  draw(): Promise<void>;
  /** Same shape, other weights (another snapshot): swaps each view's data, no re-embed. */
  update(section: AttentionSection): Promise<void>;
  /** Heatmaps drawn. */
  count(): number;
  /** Each heatmap's SVG at its row and column (for the composed export). */
  svgs(): Promise<ComposeChart[]>;
  finalize(): void;
}

interface Cell {
  layer: number;
  head: number;
  chartEl: HTMLElement;
  chart: Chart | null;
}

export function heatmapGrid(s: AttentionSection, o: HeatmapGridOptions): HeatmapGrid {
  const grid = h('div', {
    class: o.className ? `heatmap-grid ${o.className}` : 'heatmap-grid',
    'data-kind': s.kind,
  });
  grid.style.gridTemplateColumns = `${o.rowHeaderPx}px repeat(${s.heads}, max-content)`;
  const cells = buildCells(grid, s, o);
  const drawn = (): Chart[] => cells.flatMap((c) => (c.chart ? [c.chart] : []));
  const finalize = (): void => {
    for (const c of cells) {
      c.chart?.finalize();
      c.chart = null;
    }
  };
  return {
    element: h('div', { class: 'grid-scroll' }, grid),
    async draw() {
      const settled = await Promise.allSettled(
        cells.map(async (c) => {
          c.chart = await renderChart(c.chartEl, heatmapSpec(specOptions(s, c, o)));
        }),
      );
      const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) {
        finalize();
        throw failed.reason;
      }
    },
    async update(next) {
      await Promise.all(
        cells.map((c) => {
          const rows = matrixValues(next.grid[c.layer][c.head], next.queries, next.keys);
          const { cells: values, masked } = splitMasked(rows);
          return c.chart?.view.data(HEATMAP_CELLS, values).data(HEATMAP_MASKED, masked).runAsync();
        }),
      );
    },
    count: () => drawn().length,
    svgs: () =>
      Promise.all(
        cells
          .filter((c) => c.chart)
          .map(async (c) => ({ row: c.layer, col: c.head, svg: await c.chart!.view.toSVG() })),
      ),
    finalize,
  };
}

/** The headers and one empty figure per (layer, head), appended to `grid`. */
function buildCells(grid: HTMLElement, s: AttentionSection, o: HeatmapGridOptions): Cell[] {
  const plotW = s.keys.length * o.cell + 2 * o.chartPadding;
  const plotH = s.queries.length * o.cell + 2 * o.chartPadding;
  grid.append(h('div', { class: 'corner' }));
  for (let head = 0; head < s.heads; head++) {
    const header = h('div', { class: 'col-header' }, `Head ${head + 1}`);
    header.style.width = `${plotW}px`;
    grid.append(header);
  }
  const cells: Cell[] = [];
  for (let layer = 0; layer < s.layers; layer++) {
    const rowHeader = h('div', { class: 'row-header' }, `Layer ${layer + 1}`);
    rowHeader.style.height = `${plotH}px`;
    grid.append(rowHeader);
    for (let head = 0; head < s.heads; head++) {
      const chartEl = h('div', { class: 'chart' });
      const label = `${o.labelPrefix ?? ''}${s.title}, layer ${layer + 1}, head ${head + 1}`;
      grid.append(
        h(
          'figure',
          {
            class: 'heatmap',
            ...o.figureAttrs,
            'data-kind': s.kind,
            'data-layer': layer,
            'data-head': head,
            'aria-label': label,
          },
          o.figureTools?.(layer, head),
          chartEl,
        ),
      );
      cells.push({ layer, head, chartEl, chart: null });
    }
  }
  return cells;
}

function specOptions(s: AttentionSection, c: Cell, o: HeatmapGridOptions) {
  return {
    queries: s.queries,
    keys: s.keys,
    weights: s.grid[c.layer]?.[c.head] ?? [],
    theme: o.theme,
    domainMax: o.domainMax,
    cellSize: o.cell,
    showYLabels: c.head === 0,
    showXLabels: c.layer === s.layers - 1,
  };
}
