/**
 * The layer × head grid of one kind of attention, shared by the attention panel and Compare
 * Runs: one <figure class="heatmap" data-kind data-layer data-head> per (layer, head) with its
 * own Vega-Lite view. Each heatmap is a separate small chart: simple to count and address, and
 * another snapshot swaps its data in place (the harness's --bench measured it as fast as one
 * faceted spec per kind).
 *
 * Two layouts (specs/gridLayout.ts decides): `rows`, every head of a layer in one row under
 * "Head n" column headers, beside a "Layer n" row header; `wrapped` (a narrow panel), a
 * "Layer n" heading over the layer's heads wrapped into rows, each with its "Head n" caption.
 * Each heatmap is a tab stop whose cells the keyboard moves over (cellFocus.ts), and "Show as
 * table" draws each as a table of its weights instead (dataTable.ts). Styles:
 * media/styles/charts.css.
 */
import type { AttentionSection } from '../specs/attentionSections';
import { heatmapTable } from '../specs/dataTables';
import {
  HEATMAP_CELLS,
  HEATMAP_MASKED,
  heatmapSpec,
  matrixValues,
  splitMasked,
} from '../specs/heatmap';
import type { ChartTheme } from '../specs/theme';
import { createCellFocus, FocusTarget } from './cellFocus';
import type { ComposeChart } from './compose';
import { dataTable } from './dataTable';
import { h, replaceChildren } from './dom';
import { renderChart } from './render';

export interface HeatmapGridOptions {
  /** Classes of the grid element besides `heatmap-grid`. */
  className?: string;
  rowHeaderPx: number;
  /** The specs' config.padding, around each plot. */
  chartPadding: number;
  /** Pixels per cell. */
  cell: number;
  /** Heads per row (default: all); fewer wraps each layer's heads into rows. */
  headsPerRow?: number;
  /** Upper end of the colour scale shared by every heatmap. */
  domainMax: number;
  theme: ChartTheme;
  /** Extra attributes of each figure (e.g. which side of a comparison). */
  figureAttrs?: Record<string, string | number>;
  /** Put before each figure's label and table caption ("Run 2: "). */
  labelPrefix?: string;
  /** Controls shown above one heatmap (the attention panel's head switch), or null. */
  figureTools?: (layer: number, head: number) => HTMLElement | null;
  /** Names other than "Layer n" / "Head n" (a heatmap that is no head: the rollout map). */
  names?: HeatmapNames;
}

/** What the grid calls its rows, its columns and each heatmap. */
export interface HeatmapNames {
  /** Over a row of heatmaps ("Layer 2"). */
  layer(layer: number): string;
  /** Over a column, or under a wrapped heatmap ("Head 3"). */
  head(head: number): string;
  /** One heatmap: its accessible name, its tip's title and its table's caption. */
  figure(layer: number, head: number): string;
}

export interface HeatmapGrid {
  /** The grid (in its horizontally scrolling box), its tables, its live region. */
  element: HTMLElement;
  /** Embeds every heatmap; if one fails, the others are finalized and the error is thrown. */
  draw(): Promise<void>;
  /** Same shape, other weights (another snapshot): swaps each view's data, no re-embed. */
  update(section: AttentionSection): Promise<void>;
  /** Shows a table per heatmap instead of the charts (which stay drawn, for the export). */
  showTables(on: boolean): void;
  /** Heatmaps drawn. */
  count(): number;
  /** Each heatmap's SVG at its row and column (for the composed export). */
  svgs(): Promise<ComposeChart[]>;
  finalize(): void;
}

interface Layout {
  perRow: number;
  wrapped: boolean;
}

export function heatmapGrid(first: AttentionSection, o: HeatmapGridOptions): HeatmapGrid {
  let s = first;
  const perRow = Math.max(1, Math.min(o.headsPerRow ?? s.heads, s.heads));
  const layout: Layout = { perRow, wrapped: perRow < s.heads };
  const grid = gridElement(s, o, layout);
  const cells = buildCells(grid, s, o, layout);
  const focus = createCellFocus(() => s);
  for (const c of cells) focus.attach(c);
  const scroll = h('div', { class: 'grid-scroll' }, grid);
  const tables = h('div', { class: 'heatmap-tables', hidden: true });
  let tablesShown = false;
  const drawTables = (): void =>
    replaceChildren(
      tables,
      cells.map((c) => dataTable(tableModel(s, c, o), 'heatmap-table')),
    );
  const finalize = (): void => {
    for (const c of cells) {
      c.chart?.finalize();
      c.chart = null;
    }
    focus.dispose();
  };
  return {
    element: h('div', { class: 'heatmap-block' }, scroll, tables, focus.elements),
    async draw() {
      const failed = await embedCells(cells, s, o, layout);
      if (failed) {
        finalize();
        throw failed.reason;
      }
    },
    async update(next) {
      s = next;
      await swapData(cells, next);
      focus.refresh();
      if (tablesShown) drawTables();
    },
    showTables(on) {
      if (on === tablesShown) return;
      tablesShown = on;
      scroll.hidden = on;
      tables.hidden = !on;
      if (on) drawTables();
      else replaceChildren(tables);
    },
    count: () => cells.filter((c) => c.chart).length,
    svgs: () => chartSvgs(cells),
    finalize,
  };
}

/** A heatmap's weights as a table, captioned with its name. */
function tableModel(s: AttentionSection, c: FocusTarget, o: HeatmapGridOptions) {
  const model = heatmapTable(s, c.layer, c.head, o.labelPrefix);
  return o.names ? { ...model, caption: o.names.figure(c.layer, c.head) } : model;
}

/** The grid element: its classes, kind, layout and columns (a row-header column in `rows`). */
function gridElement(s: AttentionSection, o: HeatmapGridOptions, layout: Layout): HTMLElement {
  const grid = h('div', {
    class: o.className ? `heatmap-grid ${o.className}` : 'heatmap-grid',
    'data-kind': s.kind,
    'data-layout': layout.wrapped ? 'wrapped' : 'rows',
  });
  grid.style.gridTemplateColumns = layout.wrapped
    ? `repeat(${layout.perRow}, max-content)`
    : `${o.rowHeaderPx}px repeat(${s.heads}, max-content)`;
  return grid;
}

/** Embeds every cell's chart, all of them even if one fails; returns the first failure. */
async function embedCells(
  cells: FocusTarget[],
  s: AttentionSection,
  o: HeatmapGridOptions,
  layout: Layout,
): Promise<PromiseRejectedResult | undefined> {
  const settled = await Promise.allSettled(
    cells.map(async (c) => {
      c.chart = await renderChart(c.chartEl, heatmapSpec(specOptions(s, c, o, layout)));
    }),
  );
  return settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
}

/** Swaps each drawn chart's data for `next`'s weights (same shape: no re-embed). */
async function swapData(cells: FocusTarget[], next: AttentionSection): Promise<void> {
  await Promise.all(
    cells.map((c) => {
      const rows = matrixValues(next.grid[c.layer][c.head], next.queries, next.keys);
      const { cells: values, masked } = splitMasked(rows);
      return c.chart?.view.data(HEATMAP_CELLS, values).data(HEATMAP_MASKED, masked).runAsync();
    }),
  );
}

/** Each drawn chart's SVG at its layer (row) and head (column). */
function chartSvgs(cells: FocusTarget[]): Promise<ComposeChart[]> {
  return Promise.all(
    cells
      .filter((c) => c.chart)
      .map(async (c) => ({ row: c.layer, col: c.head, svg: await c.chart!.view.toSVG() })),
  );
}

/** One empty figure per (layer, head) with the headers of the layout, appended to `grid`. */
function buildCells(
  grid: HTMLElement,
  s: AttentionSection,
  o: HeatmapGridOptions,
  layout: Layout,
): FocusTarget[] {
  const plotW = s.keys.length * o.cell + 2 * o.chartPadding;
  const plotH = s.queries.length * o.cell + 2 * o.chartPadding;
  if (!layout.wrapped) {
    grid.append(h('div', { class: 'corner' }));
    for (let head = 0; head < s.heads; head++) {
      const header = h('div', { class: 'col-header' }, o.names?.head(head) ?? `Head ${head + 1}`);
      header.style.minWidth = `${plotW}px`;
      grid.append(header);
    }
  }
  const cells: FocusTarget[] = [];
  for (let layer = 0; layer < s.layers; layer++) {
    const layerHeader = h(
      'div',
      { class: layout.wrapped ? 'layer-header' : 'row-header' },
      o.names?.layer(layer) ?? `Layer ${layer + 1}`,
    );
    if (!layout.wrapped) layerHeader.style.height = `${plotH}px`;
    grid.append(layerHeader);
    for (let head = 0; head < s.heads; head++) {
      const chartEl = h('div', { class: 'chart', 'aria-hidden': 'true' });
      const name = o.names?.figure(layer, head);
      const figure = h(
        'figure',
        {
          class: 'heatmap',
          'data-kind': s.kind,
          'data-layer': layer,
          'data-head': head,
          ...o.figureAttrs, // after data-kind: a map that is no kind of attention says so
          'aria-label':
            name ?? `${o.labelPrefix ?? ''}${s.title}, layer ${layer + 1}, head ${head + 1}`,
        },
        layout.wrapped
          ? h('figcaption', { class: 'head-caption' }, o.names?.head(head) ?? `Head ${head + 1}`)
          : null,
        o.figureTools?.(layer, head),
        chartEl,
      );
      grid.append(figure);
      cells.push({ layer, head, figure, chartEl, chart: null, name });
    }
  }
  return cells;
}

/** Axis labels once per visual row (y) and under the last heatmap of each column (x). */
function specOptions(s: AttentionSection, c: FocusTarget, o: HeatmapGridOptions, l: Layout) {
  return {
    queries: s.queries,
    keys: s.keys,
    weights: s.grid[c.layer]?.[c.head] ?? [],
    theme: o.theme,
    domainMax: o.domainMax,
    cellSize: o.cell,
    showYLabels: c.head % l.perRow === 0,
    showXLabels: c.layer === s.layers - 1 && c.head + l.perRow >= s.heads,
  };
}
