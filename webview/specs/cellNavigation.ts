/**
 * Moving over the cells of one heatmap with the keyboard, and what a cell says: the rules of
 * shared/cellFocus.ts as pure functions. The keys follow the ARIA grid pattern: arrows move one
 * cell, Home / End go to the row's first / last key, Ctrl+Home / Ctrl+End to the first / last
 * cell, PageUp / PageDown to the column's first / last query (a heatmap is one page).
 */
import type { AttentionSection } from './attentionSections';
import { positionLabels } from './heatmap';

/** A cell: its query (row) and key (column). */
export interface CellPos {
  q: number;
  k: number;
}

export interface MatrixShape {
  queries: number;
  keys: number;
}

/** The cell `key` leads to from `pos`, or null when the key is not a move. */
export function nextCell(
  pos: CellPos,
  key: string,
  ctrl: boolean,
  shape: MatrixShape,
): CellPos | null {
  const lastQ = Math.max(0, shape.queries - 1);
  const lastK = Math.max(0, shape.keys - 1);
  const clamp = (q: number, k: number): CellPos => ({
    q: Math.min(lastQ, Math.max(0, q)),
    k: Math.min(lastK, Math.max(0, k)),
  });
  switch (key) {
    case 'ArrowLeft':
      return clamp(pos.q, pos.k - 1);
    case 'ArrowRight':
      return clamp(pos.q, pos.k + 1);
    case 'ArrowUp':
      return clamp(pos.q - 1, pos.k);
    case 'ArrowDown':
      return clamp(pos.q + 1, pos.k);
    case 'Home':
      return clamp(ctrl ? 0 : pos.q, 0);
    case 'End':
      return clamp(ctrl ? lastQ : pos.q, lastK);
    case 'PageUp':
      return clamp(0, pos.k);
    case 'PageDown':
      return clamp(lastQ, pos.k);
    default:
      return null;
  }
}

/** What one cell shows: its labels (position and token, as on the axes) and its weight. */
export interface CellReading {
  query: string;
  key: string;
  /** Three decimals, as the tooltip; `masked` where the weight is masked. */
  weight: string;
}

/** The weight as the tooltip and the table show it. */
export function formatWeight(w: number | null | undefined): string {
  return typeof w === 'number' && Number.isFinite(w) ? w.toFixed(3) : 'masked';
}

export function readCell(
  s: Pick<AttentionSection, 'grid' | 'queries' | 'keys'>,
  layer: number,
  head: number,
  pos: CellPos,
): CellReading {
  return {
    query: positionLabels(s.queries)[pos.q] ?? `${pos.q} ?`,
    key: positionLabels(s.keys)[pos.k] ?? `${pos.k} ?`,
    weight: formatWeight(s.grid[layer]?.[head]?.[pos.q]?.[pos.k]),
  };
}

/** The sentence a screen reader says for a cell, each part once: `query 0 i, key 1 je, weight 0.700`. */
export function cellSentence(r: CellReading): string {
  return `query ${r.query}, key ${r.key}, weight ${r.weight}`;
}
