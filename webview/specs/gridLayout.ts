/**
 * How a layer × head grid of heatmaps fits the panel's width: the cell size, and how many heads
 * share a row. Wide panels show every head of a layer in one row with "Layer n" headers on the
 * left; narrow ones wrap the heads into rows under a "Layer n" heading, so that every head is
 * seen without scrolling sideways (at 400 px: two heads of ten keys per row, at 11 px a cell).
 * Pure arithmetic, shared by the attention panel and Compare Runs (compareLayout.ts).
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
  /** Width of the "Layer n" row headers (wide grids only: wrapped ones put it above). */
  rowHeader: number;
  /** Gap between heads (the grid's column gap). */
  headGap: number;
  /** Vega-Lite `config.padding` of a chart, on each side. */
  chartPadding: number;
}

/** The cells' limits: heads wrap before cells get smaller than `minCell`. */
export interface CellLimits {
  minCell: number;
  maxCell: number;
  /** The smallest cell at all (one head per row, still too wide: the grid scrolls). */
  floorCell: number;
}

/** A grid's layout: pixels per cell, and heads per row (fewer than the heads: wrapped). */
export interface GridLayout {
  cell: number;
  headsPerRow: number;
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
  floorCell: 10,
} as const;

/** Rough width of the widest y label (`9 <pad>`, monospace) in pixels. */
export function labelWidth(labels: readonly string[], fontSize: number): number {
  const chars = Math.max(0, ...labels.map((t, i) => `${i} ${t}`.length));
  return Math.ceil(chars * Math.max(9, fontSize - 2) * 0.62) + 8;
}

/**
 * The largest cell with which `headsPerRow` heads fit `width` side by side (all of them, with
 * the row headers, when `headsPerRow` is omitted or not smaller than the heads).
 */
export function cellToFit(
  width: number,
  side: SideShape,
  fontSize: number,
  dims: GridDims,
  headsPerRow = side.heads,
): number {
  const wrapped = headsPerRow < side.heads;
  const perRow = Math.max(1, Math.min(headsPerRow, side.heads));
  const cols = perRow * Math.max(1, side.keys);
  const fixed =
    (wrapped ? 0 : dims.rowHeader) +
    labelWidth(side.queries, fontSize) +
    perRow * (2 * dims.chartPadding + dims.headGap);
  return Math.floor((width - fixed) / cols);
}

/**
 * One layout for grids that are shown together (same cell size): every head in one row when
 * the cells stay at least `minCell`, else the most heads per row that keep them so, else one
 * head per row at `floorCell` or more.
 */
export function fitGrids(
  width: number,
  sides: readonly SideShape[],
  fontSize: number,
  dims: GridDims & CellLimits,
): GridLayout {
  const heads = Math.max(1, ...sides.map((s) => s.heads));
  const cellAt = (perRow: number): number =>
    Math.min(dims.maxCell, ...sides.map((s) => cellToFit(width, s, fontSize, dims, perRow)));
  for (let perRow = heads; perRow >= 1; perRow--) {
    const cell = cellAt(perRow);
    if (cell >= dims.minCell) return { cell, headsPerRow: perRow };
  }
  return { cell: Math.max(dims.floorCell, cellAt(1)), headsPerRow: 1 };
}

/** The attention panel's layout: one for every section, fitting `width` (cells 10 to 22 px). */
export function attentionGridLayout(
  width: number,
  sections: readonly SideShape[],
  fontSize: number,
): GridLayout {
  return fitGrids(width - ATTENTION_GRID.margin, sections, fontSize, ATTENTION_GRID);
}
