/**
 * Timing of the attention panel's rendering choices, loaded only by the browser harness
 * (`npx tsx test/webview/harness.ts --bench`): 24 (or 48) separate small charts versus one
 * faceted spec per kind, each with the SVG and the canvas renderer. Not part of the extension.
 */
import type { TopLevelSpec } from 'vega-lite/build/index';
import type { AttentionMaps } from '../../src/decode/attentionMaps';
import { attentionSections } from '../specs/attentionSections';
import { heatmapSpec, matrixValues } from '../specs/heatmap';
import { vegaLiteConfig } from '../specs/theme';
import { Chart, renderChart, Renderer } from '../shared/render';
import { currentTheme } from '../shared/theme';

function frame(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => resolve()));
}

function facetSpec(
  s: ReturnType<typeof attentionSections>[number],
  cell: number,
  theme: ReturnType<typeof currentTheme>,
): TopLevelSpec {
  const values = [];
  for (let layer = 0; layer < s.layers; layer++) {
    for (let head = 0; head < s.heads; head++) {
      for (const r of matrixValues(s.grid[layer][head], s.queries, s.keys)) {
        if (r.weight !== null) values.push({ ...r, layer: layer + 1, head: head + 1 });
      }
    }
  }
  return {
    data: { values },
    facet: {
      row: { field: 'layer', type: 'ordinal', title: 'Layer' },
      column: { field: 'head', type: 'ordinal', title: 'Head' },
    },
    spec: {
      width: s.keys.length * cell,
      height: s.queries.length * cell,
      mark: { type: 'rect' },
      encoding: {
        x: { field: 'k', type: 'ordinal', sort: null, axis: { labelAngle: -55 } },
        y: { field: 'q', type: 'ordinal', sort: null },
        color: {
          field: 'weight',
          type: 'quantitative',
          scale: { domain: [0, 1], scheme: theme.heatScheme },
          legend: null,
        },
        tooltip: [
          { field: 'q', type: 'nominal', title: 'query' },
          { field: 'k', type: 'nominal', title: 'key' },
          { field: 'weight', type: 'quantitative', format: '.3f' },
        ],
      },
    },
    config: vegaLiteConfig(theme),
  };
}

async function bench(variant: string, maps: AttentionMaps): Promise<number> {
  const app = document.getElementById('app') ?? document.body;
  app.replaceChildren();
  const theme = currentTheme();
  const renderer: Renderer = variant.endsWith('canvas') ? 'canvas' : 'svg';
  const sections = attentionSections(maps);
  const cell = 16;
  const start = performance.now();
  const charts: Promise<Chart>[] = [];
  for (const s of sections) {
    if (variant.startsWith('facet')) {
      const el = document.createElement('div');
      app.append(el);
      charts.push(renderChart(el, facetSpec(s, cell, theme), renderer));
      continue;
    }
    for (let layer = 0; layer < s.layers; layer++) {
      for (let head = 0; head < s.heads; head++) {
        const el = document.createElement('div');
        app.append(el);
        charts.push(
          renderChart(
            el,
            heatmapSpec({
              queries: s.queries,
              keys: s.keys,
              weights: s.grid[layer][head],
              theme,
              cellSize: cell,
              showYLabels: head === 0,
              showXLabels: layer === s.layers - 1,
            }),
            renderer,
          ),
        );
      }
    }
  }
  const done = await Promise.all(charts);
  await frame();
  await frame();
  const ms = performance.now() - start;
  for (const c of done) c.finalize();
  return ms;
}

(window as unknown as { __bench: typeof bench }).__bench = bench;
