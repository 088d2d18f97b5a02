/**
 * Vega-Lite charts under the webview's Content Security Policy: vega-embed with `ast: true` and
 * vega-interpreter (no `new Function`, so no 'unsafe-eval'), no injected <style> elements
 * (`defaultStyle: false`, tooltip style shipped in media/styles/charts.css), no actions menu.
 */
import embed from 'vega-embed';
import type { View } from 'vega';
import { expressionInterpreter } from 'vega-interpreter';
import type { TopLevelSpec } from 'vega-lite/build/index';

export type Renderer = 'svg' | 'canvas';

/**
 * SVG: each of the 24 small heatmaps has ≤ 100 rects, so SVG renders as fast as canvas here
 * (see the harness's timing), hit-testing is exact, text stays crisp at any zoom, and the DOM
 * can be inspected (tests count marks). Export uses vega's headless renderers either way.
 */
export const DEFAULT_RENDERER: Renderer = 'svg';

export interface Chart {
  view: View;
  /** Removes the view's listeners and timers; call before dropping or re-rendering a chart. */
  finalize(): void;
}

/** The vega-tooltip options, themed by media/styles/charts.css (`#vg-tooltip-element`). */
const TOOLTIP = { theme: 'custom', disableDefaultStyle: true, offsetX: 12, offsetY: 12 };

export async function renderChart(
  el: HTMLElement,
  spec: TopLevelSpec,
  renderer: Renderer = DEFAULT_RENDERER,
): Promise<Chart> {
  // The cast crosses from vega-lite's types (resolved through build/index) to vega-embed's.
  const result = await embed(el, spec as unknown as Parameters<typeof embed>[1], {
    mode: 'vega-lite',
    ast: true,
    expr: expressionInterpreter,
    defaultStyle: false,
    actions: false,
    renderer,
    tooltip: TOOLTIP,
  });
  return { view: result.view, finalize: () => result.finalize() };
}
