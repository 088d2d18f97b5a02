/**
 * How the two sides of an attention comparison fit the panel: side by side when both grids of
 * heatmaps fit next to each other with readable cells, else stacked; one cell size for both
 * sides so that they compare at the same scale. Pure arithmetic.
 */

export interface SideShape {
  heads: number;
  /** Keys (columns) of one heatmap. */
  keys: number;
  /** Query labels (rows), for the width of the y axis labels. */
  queries: readonly string[];
}

export interface CompareLayout {
  mode: 'side-by-side' | 'stacked';
  /** Pixels per heatmap cell. */
  cell: number;
}

export const LAYOUT = {
  /** Width of the "Layer n" row headers. */
  rowHeader: 56,
  /** Gap between the two sides. */
  sideGap: 24,
  /** Gap between heads (the grid's column gap). */
  headGap: 10,
  /** Vega-Lite `config.padding` of a chart, on each side. */
  chartPadding: 4,
  /** Smallest cell of side-by-side grids, smallest and largest cell overall. */
  minSideBySide: 10,
  minCell: 8,
  maxCell: 18,
} as const;

/** Rough width of the widest y label (`9 <pad>`, monospace) in pixels. */
export function labelWidth(labels: readonly string[], fontSize: number): number {
  const chars = Math.max(0, ...labels.map((t, i) => `${i} ${t}`.length));
  return Math.ceil(chars * Math.max(9, fontSize - 2) * 0.62) + 8;
}

/** The largest cell with which the side's grid fits `width`. */
export function cellToFit(width: number, side: SideShape, fontSize: number): number {
  const cols = Math.max(1, side.heads * Math.max(1, side.keys));
  const fixed =
    LAYOUT.rowHeader +
    labelWidth(side.queries, fontSize) +
    side.heads * (2 * LAYOUT.chartPadding + LAYOUT.headGap);
  return Math.floor((width - fixed) / cols);
}

export function compareLayout(
  width: number,
  sides: readonly SideShape[],
  fontSize: number,
): CompareLayout {
  const fit = (w: number): number =>
    Math.min(LAYOUT.maxCell, ...sides.map((s) => cellToFit(w, s, fontSize)));
  if (sides.length > 1) {
    const half = fit((width - LAYOUT.sideGap) / 2);
    if (half >= LAYOUT.minSideBySide) return { mode: 'side-by-side', cell: half };
  }
  return { mode: 'stacked', cell: Math.max(LAYOUT.minCell, fit(width)) };
}
