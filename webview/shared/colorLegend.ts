/**
 * The heatmaps' key: one colour bar for every heatmap on screen (they share one scale), and the
 * grey swatch of masked cells with what masks them in that panel.
 */
import { colorLegendSpec } from '../specs/heatmap';
import type { ChartTheme } from '../specs/theme';
import { h } from './dom';
import { Chart, renderChart } from './render';

export interface ColorLegend {
  element: HTMLElement;
  /** Draws the bar from 0 to `domainMax` (unless it is drawn so already). */
  render(domainMax: number, theme: ChartTheme): Promise<void>;
  clear(): void;
  /** The bar as SVG (for the composed export); undefined when none is drawn. */
  svg(): Promise<string | undefined>;
}

export function createColorLegend(id: string): ColorLegend {
  const element = h('div', { class: 'legend-chart', id });
  let chart: Chart | null = null;
  let drawn = '';
  const clear = (): void => {
    chart?.finalize();
    chart = null;
  };
  return {
    element,
    async render(domainMax, theme) {
      const key = JSON.stringify([domainMax, theme]);
      if (chart && key === drawn) return;
      clear();
      chart = await renderChart(element, colorLegendSpec({ theme, domainMax }));
      drawn = key;
    },
    clear,
    svg: async () => (chart ? chart.view.toSVG() : undefined),
  };
}

/** The key for masked cells: a grey swatch and what masks them here. */
export function maskedKey(what: string): HTMLElement {
  return h(
    'span',
    { class: 'masked-key' },
    h('span', { class: 'masked-swatch', 'aria-hidden': 'true' }),
    ` masked (${what})`,
  );
}
