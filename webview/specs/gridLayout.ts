/**
 * How large a heatmap cell can be so that a layer × head grid fits the panel's width. Pure
 * arithmetic, shared by the attention panel and Compare Runs (compareLayout.ts).
 */

/** What the width of one grid depends on. */
export interface SideShape {
  heads: number;
  /** Keys (columns) of one heatmap. */
  keys: number;
  /** Query labels (rows), for the width of the y axis labels. */
  queries: readonly string[];
}

/** The fixed widths around the cells of a grid. */
export interface GridDims {
  /** Width of the "Layer n" row headers. */
  rowHeader: number;
  /** Gap between heads (the grid's column gap). */
  headGap: number;
  /** Vega-Lite `config.padding` of a chart, on each side. */
  chartPadding: number;
}

/** The attention panel's grids (media/styles/charts.css: `.heatmap-grid` gap). */
export const ATTENTION_GRID = {
  rowHeader: 64,
  headGap: 14,
  chartPadding: 4,
  /** Kept free of the panel's width (the scrollbar gutter, rounding). */
  margin: 8,
  minCell: 10,
  maxCell: 22,
} as const;

/** Rough width of the widest y label (`9 <pad>`, monospace) in pixels. */
export function labelWidth(labels: readonly string[], fontSize: number): number {
  const chars = Math.max(0, ...labels.map((t, i) => `${i} ${t}`.length));
  return Math.ceil(chars * Math.max(9, fontSize - 2) * 0.62) + 8;
}

/** The largest cell with which the grid fits `width`. */
export function cellToFit(
  width: number,
  side: SideShape,
  fontSize: number,
  dims: GridDims,
): number {
  const cols = Math.max(1, side.heads * Math.max(1, side.keys));
  const fixed =
    dims.rowHeader +
    labelWidth(side.queries, fontSize) +
    side.heads * (2 * dims.chartPadding + dims.headGap);
  return Math.floor((width - fixed) / cols);
}

/** One cell size for every section of the attention panel, each fitting `width` (10 to 22 px). */
export function attentionCellSize(
  width: number,
  sections: readonly SideShape[],
  fontSize: number,
): number {
  const g = ATTENTION_GRID;
  const fit = sections.map((s) => cellToFit(width - g.margin, s, fontSize, g));
  return Math.max(g.minCell, Math.min(g.maxCell, ...fit));
}
