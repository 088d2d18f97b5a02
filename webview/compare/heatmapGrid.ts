/**
 * One run's attention of one kind as a grid of small heatmaps: a row per layer, a column per
 * head, each in <figure class="heatmap" data-side data-kind data-layer data-head> (the same
 * spec builder and look as the attention panel). The two runs of a comparison may differ in
 * layers, heads and attention function: each grid takes its own shape.
 */
import type { AttentionSection } from '../specs/attentionSections';
import { LAYOUT } from '../specs/compareLayout';
import { heatmapSpec } from '../specs/heatmap';
import { ChartTheme } from '../specs/theme';
import { h } from '../shared/dom';
import { Chart, renderChart } from '../shared/render';

export interface GridOptions {
  side: number;
  sideLabel: string;
  cell: number;
  domainMax: number;
  theme: ChartTheme;
}

/** Fills `container` with the grid; resolves with its charts once all are drawn. */
export async function renderHeatmapGrid(
  container: HTMLElement,
  s: AttentionSection,
  o: GridOptions,
): Promise<Chart[]> {
  const grid = h('div', { class: 'heatmap-grid compare-grid', 'data-kind': s.kind });
  grid.style.gridTemplateColumns = `${LAYOUT.rowHeader}px repeat(${s.heads}, max-content)`;
  const plotW = s.keys.length * o.cell + 2 * LAYOUT.chartPadding;
  const plotH = s.queries.length * o.cell + 2 * LAYOUT.chartPadding;
  grid.append(h('div', { class: 'corner' }));
  for (let head = 0; head < s.heads; head++) {
    const header = h('div', { class: 'col-header' }, `Head ${head + 1}`);
    header.style.width = `${plotW}px`;
    grid.append(header);
  }
  const jobs: Promise<Chart>[] = [];
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
            'data-side': o.side,
            'data-kind': s.kind,
            'data-layer': layer,
            'data-head': head,
            'aria-label': `${o.sideLabel}: ${s.title}, layer ${layer + 1}, head ${head + 1}`,
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
      jobs.push(renderChart(chartEl, spec));
    }
  }
  container.replaceChildren(h('div', { class: 'grid-scroll' }, grid));
  const settled = await Promise.allSettled(jobs);
  const charts = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    for (const c of charts) c.finalize();
    throw failed.reason;
  }
  return charts;
}
