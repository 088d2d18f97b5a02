/**
 * How the two sides of an attention comparison fit the panel: side by side when both grids of
 * heatmaps fit next to each other (every head in a row) with readable cells, else stacked, the
 * heads wrapped into rows when one row does not fit (gridLayout.ts); one cell size for both
 * sides so that they compare at the same scale. Pure arithmetic.
 */
import { cellToFit, fitGrids, GridLayout, SideShape } from './gridLayout';

export type { SideShape } from './gridLayout';

export interface CompareLayout extends GridLayout {
  mode: 'side-by-side' | 'stacked';
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
  /** Smallest cell of side-by-side grids; stacked grids wrap their heads below it. */
  minSideBySide: 10,
  minCell: 10,
  maxCell: 18,
  /** Smallest cell at all (one head per row that still does not fit: the grid scrolls). */
  floorCell: 8,
} as const;

export function compareLayout(
  width: number,
  sides: readonly SideShape[],
  fontSize: number,
): CompareLayout {
  const heads = Math.max(1, ...sides.map((s) => s.heads));
  if (sides.length > 1) {
    const half = (width - LAYOUT.sideGap) / 2;
    const cell = Math.min(
      LAYOUT.maxCell,
      ...sides.map((s) => cellToFit(half, s, fontSize, LAYOUT)),
    );
    if (cell >= LAYOUT.minSideBySide) return { mode: 'side-by-side', cell, headsPerRow: heads };
  }
  return { mode: 'stacked', ...fitGrids(width, sides, fontSize, LAYOUT) };
}
