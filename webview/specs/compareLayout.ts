/**
 * How the two sides of an attention comparison fit the panel: side by side when both grids of
 * heatmaps fit next to each other with readable cells, else stacked; one cell size for both
 * sides so that they compare at the same scale. Pure arithmetic.
 */
import { cellToFit, SideShape } from './gridLayout';

export type { SideShape } from './gridLayout';

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

export function compareLayout(
  width: number,
  sides: readonly SideShape[],
  fontSize: number,
): CompareLayout {
  const fit = (w: number): number =>
    Math.min(LAYOUT.maxCell, ...sides.map((s) => cellToFit(w, s, fontSize, LAYOUT)));
  if (sides.length > 1) {
    const half = fit((width - LAYOUT.sideGap) / 2);
    if (half >= LAYOUT.minSideBySide) return { mode: 'side-by-side', cell: half };
  }
  return { mode: 'stacked', cell: Math.max(LAYOUT.minCell, fit(width)) };
}
