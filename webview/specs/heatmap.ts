/**
 * Attention heatmaps as Vega-Lite specs: one (layer, head) grid per chart, rows = queries,
 * columns = keys, one colour scale shared by every chart, masked (null) cells drawn as faint
 * "empty" cells in their own layer. Pure: data in, spec out.
 */
import type { TopLevelSpec } from 'vega-lite/build/index';
import type { AttentionGrid } from '../../src/decode/attentionMaps';
import { ChartTheme, vegaLiteConfig } from './theme';

/** Named datasets of a heatmap spec (`view.data(name, rows)` swaps a snapshot in place). */
/** A spec with layers (a heatmap's two). */
type LayeredSpec = Extract<TopLevelSpec, { layer: unknown }>;

export const HEATMAP_CELLS = 'cells';
export const HEATMAP_MASKED = 'masked';

/** One cell: labels `q`/`k` carry the position (`0 go`), so repeated tokens stay distinct. */
export interface AttentionRow {
  q: string;
  k: string;
  qi: number;
  ki: number;
  weight: number | null;
}

/** `['go', '.']` → `['0 go', '1 .']`. */
export function positionLabels(tokens: readonly string[]): string[] {
  return tokens.map((t, i) => `${i} ${t}`);
}

/** Rows of one query × key matrix; `weight` null where masked. */
export function matrixValues(
  weights: readonly (readonly (number | null)[])[],
  queries: readonly string[],
  keys: readonly string[],
): AttentionRow[] {
  const qLabels = positionLabels(queries);
  const kLabels = positionLabels(keys);
  const rows: AttentionRow[] = [];
  weights.forEach((row, qi) => {
    row.forEach((w, ki) => {
      rows.push({
        q: qLabels[qi] ?? `${qi} ?`,
        k: kLabels[ki] ?? `${ki} ?`,
        qi,
        ki,
        weight: typeof w === 'number' && Number.isFinite(w) ? w : null,
      });
    });
  });
  return rows;
}

/** Rows of grid[layer][head] (see AttentionMaps for the shapes). */
export function attentionValues(
  grid: AttentionGrid,
  layer: number,
  head: number,
  queries: readonly string[],
  keys: readonly string[],
): AttentionRow[] {
  return matrixValues(grid[layer]?.[head] ?? [], queries, keys);
}

/** The visible cells and the masked ones, as the two datasets of a heatmap. */
export function splitMasked(rows: readonly AttentionRow[]): {
  cells: AttentionRow[];
  masked: (AttentionRow & { status: 'masked' })[];
} {
  const cells: AttentionRow[] = [];
  const masked: (AttentionRow & { status: 'masked' })[] = [];
  for (const r of rows) {
    if (r.weight === null) masked.push({ ...r, status: 'masked' });
    else cells.push(r);
  }
  return { cells, masked };
}

/** The largest weight over all grids (0 when there is none). */
export function maxWeight(grids: readonly AttentionGrid[]): number {
  let max = 0;
  for (const grid of grids) {
    for (const layer of grid) {
      for (const head of layer) {
        for (const row of head) {
          for (const w of row) if (typeof w === 'number' && w > max) max = w;
        }
      }
    }
  }
  return max;
}

export interface HeatmapOptions {
  /** Query tokens (rows), without positions. */
  queries: readonly string[];
  /** Key tokens (columns), without positions. */
  keys: readonly string[];
  /** [query][key], null where masked. */
  weights: readonly (readonly (number | null)[])[];
  theme: ChartTheme;
  title?: string;
  /** Upper end of the shared colour scale (default 1). */
  domainMax?: number;
  /** Pixels per cell (default 16). */
  cellSize?: number;
  showXLabels?: boolean;
  showYLabels?: boolean;
  xTitle?: string | null;
  yTitle?: string | null;
}

export const TOOLTIP_TITLES = { query: 'query', key: 'key', weight: 'weight' } as const;

/** The axes' labels: monospace, position-prefixed, no ticks; none when hidden. */
function axes(o: HeatmapOptions) {
  const t = o.theme;
  const labels = {
    labelFont: t.monoFontFamily,
    labelFontSize: Math.max(9, t.fontSize - 2),
    labelLimit: 110,
    labelPadding: 3,
    ticks: false,
    domain: false,
  };
  return {
    x:
      o.showXLabels === false
        ? null
        : {
            title: o.xTitle ?? null,
            orient: 'bottom' as const,
            labelAngle: -90,
            labelAlign: 'right' as const,
            labelBaseline: 'middle' as const,
            ...labels,
          },
    y: o.showYLabels === false ? null : { title: o.yTitle ?? null, ...labels },
  };
}

/** The masked cells (faint, "masked" in the tooltip), then the weights on the colour scale. */
function cellLayers(t: ChartTheme, domainMax: number): LayeredSpec['layer'] {
  const query = { field: 'q', type: 'nominal', title: TOOLTIP_TITLES.query } as const;
  const key = { field: 'k', type: 'nominal', title: TOOLTIP_TITLES.key } as const;
  return [
    {
      data: { name: HEATMAP_MASKED },
      mark: {
        type: 'rect',
        fill: t.maskedFill,
        fillOpacity: t.maskedOpacity,
        stroke: t.cellStroke,
        strokeWidth: 1,
      },
      encoding: {
        tooltip: [query, key, { field: 'status', type: 'nominal', title: TOOLTIP_TITLES.weight }],
      },
    },
    {
      data: { name: HEATMAP_CELLS },
      mark: { type: 'rect', stroke: t.cellStroke, strokeWidth: 0.5 },
      encoding: {
        color: {
          field: 'weight',
          type: 'quantitative',
          scale: { domain: [0, domainMax], scheme: t.heatScheme, clamp: true },
          legend: null,
        },
        tooltip: [
          query,
          key,
          { field: 'weight', type: 'quantitative', title: TOOLTIP_TITLES.weight, format: '.3f' },
        ],
      },
    },
  ];
}

export function heatmapSpec(o: HeatmapOptions): TopLevelSpec {
  const cell = o.cellSize ?? 16;
  const domainMax = o.domainMax !== undefined && o.domainMax > 0 ? o.domainMax : 1;
  const qLabels = positionLabels(o.queries);
  const kLabels = positionLabels(o.keys);
  const { cells, masked } = splitMasked(matrixValues(o.weights, o.queries, o.keys));
  const t = o.theme;
  const axis = axes(o);
  return {
    ...(o.title ? { title: { text: o.title, anchor: 'start', fontSize: t.fontSize } } : {}),
    width: Math.max(1, kLabels.length) * cell,
    height: Math.max(1, qLabels.length) * cell,
    datasets: { [HEATMAP_CELLS]: cells, [HEATMAP_MASKED]: masked },
    encoding: {
      x: { field: 'k', type: 'ordinal', sort: null, scale: { domain: kLabels }, axis: axis.x },
      y: { field: 'q', type: 'ordinal', sort: null, scale: { domain: qLabels }, axis: axis.y },
    },
    layer: cellLayers(t, domainMax),
    // No ARIA text per cell ("k: 0 je; q: 0 i; weight: 0.7; query: 0 i; key: 0 je"): the figure
    // names the heatmap and shared/cellFocus.ts says the focused cell's query, key and weight.
    config: { ...vegaLiteConfig(t), aria: false },
  };
}

/** A horizontal colour bar with an axis: the one legend shared by every heatmap. */
export function colorLegendSpec(o: {
  theme: ChartTheme;
  domainMax?: number;
  width?: number;
}): TopLevelSpec {
  const domainMax = o.domainMax !== undefined && o.domainMax > 0 ? o.domainMax : 1;
  const n = 64;
  const values = Array.from({ length: n }, (_, i) => ({
    v0: (i / n) * domainMax,
    v1: ((i + 1) / n) * domainMax,
    mid: ((i + 0.5) / n) * domainMax,
  }));
  return {
    width: o.width ?? 180,
    height: 10,
    data: { values },
    mark: { type: 'rect' },
    encoding: {
      x: {
        field: 'v0',
        type: 'quantitative',
        scale: { domain: [0, domainMax], nice: false, zero: true },
        axis: { title: 'attention weight', tickCount: 5, format: '.2~f', grid: false },
      },
      x2: { field: 'v1' },
      color: {
        field: 'mid',
        type: 'quantitative',
        scale: { domain: [0, domainMax], scheme: o.theme.heatScheme },
        legend: null,
      },
    },
    config: vegaLiteConfig(o.theme),
  };
}
