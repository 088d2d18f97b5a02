/**
 * One run's attention of one kind as a grid of small heatmaps: a row per layer, a column per
 * head, each in <figure class="heatmap" data-side data-kind data-layer data-head> (the same
 * spec builder and look as the attention panel). The two runs of a comparison may differ in
 * layers, heads and attention function: each grid takes its own shape.
 */
import type { AttentionSection } from '../specs/attentionSections';
import { LAYOUT } from '../specs/compareLayout';
import { ChartTheme } from '../specs/theme';
import { h } from '../shared/dom';
import { layerHeadGrid } from '../shared/layerHeadGrid';
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
  const { grid, cells } = layerHeadGrid(s, {
    className: 'compare-grid',
    rowHeaderPx: LAYOUT.rowHeader,
    chartPadding: LAYOUT.chartPadding,
    cell: o.cell,
    domainMax: o.domainMax,
    theme: o.theme,
    figureAttrs: { 'data-side': o.side },
    labelPrefix: `${o.sideLabel}: `,
  });
  const jobs = cells.map((c) => renderChart(c.chartEl, c.spec));
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
