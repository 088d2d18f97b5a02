/**
 * The layer × head grid of one attention section, shared by the attention panel and Compare
 * Runs: a corner, a "Head n" header per column, a "Layer n" header per row, and one
 * <figure class="heatmap"> per (layer, head) with its heatmap spec. Drawing the charts is the
 * caller's (each panel keeps its charts differently).
 */
import type { AttentionSection } from '../specs/attentionSections';
import { heatmapSpec } from '../specs/heatmap';
import type { ChartTheme } from '../specs/theme';
import { h } from './dom';

export interface LayerHeadGridOptions {
  /** Classes of the grid element besides `heatmap-grid`. */
  className?: string;
  rowHeaderPx: number;
  /** The specs' config.padding, around each plot. */
  chartPadding: number;
  cell: number;
  domainMax: number;
  theme: ChartTheme;
  /** Extra attributes of each figure (e.g. which side of a comparison). */
  figureAttrs?: Record<string, string | number>;
  /** Put before each figure's aria-label ("Run 2: "). */
  labelPrefix?: string;
}

export interface GridCell {
  layer: number;
  head: number;
  /** Where the chart goes (inside the figure). */
  chartEl: HTMLElement;
  spec: ReturnType<typeof heatmapSpec>;
}

export function layerHeadGrid(
  s: AttentionSection,
  o: LayerHeadGridOptions,
): { grid: HTMLElement; cells: GridCell[] } {
  const className = o.className ? `heatmap-grid ${o.className}` : 'heatmap-grid';
  const grid = h('div', { class: className, 'data-kind': s.kind });
  grid.style.gridTemplateColumns = `${o.rowHeaderPx}px repeat(${s.heads}, max-content)`;
  const plotW = s.keys.length * o.cell + 2 * o.chartPadding;
  const plotH = s.queries.length * o.cell + 2 * o.chartPadding;
  grid.append(h('div', { class: 'corner' }));
  for (let head = 0; head < s.heads; head++) {
    const header = h('div', { class: 'col-header' }, `Head ${head + 1}`);
    header.style.width = `${plotW}px`;
    grid.append(header);
  }
  const cells: GridCell[] = [];
  for (let layer = 0; layer < s.layers; layer++) {
    const rowHeader = h('div', { class: 'row-header' }, `Layer ${layer + 1}`);
    rowHeader.style.height = `${plotH}px`;
    grid.append(rowHeader);
    for (let head = 0; head < s.heads; head++) {
      const chartEl = h('div', { class: 'chart' });
      grid.append(
        h(
          'figure',
          {
            class: 'heatmap',
            ...o.figureAttrs,
            'data-kind': s.kind,
            'data-layer': layer,
            'data-head': head,
            'aria-label': `${o.labelPrefix ?? ''}${s.title}, layer ${layer + 1}, head ${head + 1}`,
          },
          chartEl,
        ),
      );
      const spec = heatmapSpec({
        queries: s.queries,
        keys: s.keys,
        weights: s.grid[layer]?.[head] ?? [],
        theme: o.theme,
        domainMax: o.domainMax,
        cellSize: o.cell,
        showYLabels: head === 0,
        showXLabels: layer === s.layers - 1,
      });
      cells.push({ layer, head, chartEl, spec });
    }
  }
  return { grid, cells };
}
