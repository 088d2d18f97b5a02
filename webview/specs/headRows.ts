/**
 * The Heads panel's table and grids: its columns (header, value, text), sorting, and the value a
 * grid cell shows for each importance measure. Pure: no DOM.
 */
import type { AttentionKind } from '../../src/decode/attentionMaps';
import type { HeadRow } from '../../src/shared/protocol';
import type { TableModel } from './dataTables';
import { NONE, type SortDirection } from './runRows';

export type ImportanceMeasure = 'gradient' | 'bleuDrop' | 'lossIncrease';

export const MEASURES: readonly { value: ImportanceMeasure; text: string; title: string }[] = [
  { value: 'gradient', text: 'Gradient', title: 'Mean over pairs of |ξ·∂L/∂ξ| (Michel et al.)' },
  { value: 'bleuDrop', text: 'BLEU drop', title: 'BLEU-2 lost when this head alone is off' },
  {
    value: 'lossIncrease',
    text: 'Loss increase',
    title: 'Loss gained when this head alone is off',
  },
];

export const KIND_TITLES: Readonly<Record<AttentionKind, string>> = {
  encoderSelf: 'Encoder self-attention',
  decoderSelf: 'Decoder self-attention',
  encoderDecoder: 'Encoder–decoder attention',
};

export interface HeadColumn {
  key: string;
  header: string;
  title: string;
  value(row: HeadRow): number | string;
  text(row: HeadRow): string;
}

const fixed = (digits: number) => (v: number) => v.toFixed(digits);
const percent = (v: number) => `${Math.round(100 * v)}%`;

function column(
  key: string,
  header: string,
  title: string,
  value: (row: HeadRow) => number,
  format: (v: number) => string,
): HeadColumn {
  return { key, header, title, value, text: (row) => format(value(row)) };
}

export const HEAD_COLUMNS: readonly HeadColumn[] = [
  {
    key: 'head',
    header: 'Head',
    title: 'Kind, layer and head (1-based, as the grids)',
    value: (r) => headOrder(r),
    text: (r) => headName(r),
  },
  column('bleuDrop', 'BLEU drop', MEASURES[1].title, (r) => r.bleuDrop, fixed(3)),
  column('lossIncrease', 'Loss +', MEASURES[2].title, (r) => r.lossIncrease, fixed(3)),
  column('gradient', 'Gradient', MEASURES[0].title, (r) => r.gradient, fixed(3)),
  column('entropy', 'Entropy', 'Mean row entropy (nats)', (r) => r.stats.entropy, fixed(2)),
  column('same', 'Same', 'Share of weight on the same position', (r) => r.stats.same, percent),
  column('previous', 'Prev', 'Share on the previous token', (r) => r.stats.previous, percent),
  column('next', 'Next', 'Share on the next token', (r) => r.stats.next, percent),
  column('eos', '<eos>', 'Share on <eos>', (r) => r.stats.eos, percent),
  column('punctuation', 'Punct.', 'Share on , . ! ?', (r) => r.stats.punctuation, percent),
  {
    key: 'label',
    header: 'Label',
    title: 'What dominates the head, where something does',
    value: (r) => r.label ?? '',
    text: (r) => r.label ?? '—',
  },
];

const KIND_ORDER: readonly AttentionKind[] = ['encoderSelf', 'decoderSelf', 'encoderDecoder'];
const KIND_SHORT: Readonly<Record<AttentionKind, string>> = {
  encoderSelf: 'enc',
  decoderSelf: 'dec',
  encoderDecoder: 'cross',
};

/** `enc 1.2`: the CLI's kind names, layer and head 1-based. */
export function headName(r: Pick<HeadRow, 'kind' | 'layer' | 'head'>): string {
  return `${KIND_SHORT[r.kind]} ${r.layer + 1}.${r.head + 1}`;
}

function headOrder(r: HeadRow): number {
  return KIND_ORDER.indexOf(r.kind) * 1e6 + r.layer * 1e3 + r.head;
}

export interface HeadSort {
  column: string;
  direction: SortDirection;
}

/** The rows in the column's order (ties: kind, layer, head). Returns a new array. */
export function sortHeads(rows: readonly HeadRow[], sort: HeadSort): HeadRow[] {
  const col = HEAD_COLUMNS.find((c) => c.key === sort.column) ?? HEAD_COLUMNS[0];
  const sign = sort.direction === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const [x, y] = [col.value(a), col.value(b)];
    const c =
      typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return sign * c || headOrder(a) - headOrder(b);
  });
}

/** After a click on a header: the other direction, or descending (most important first). */
export function nextHeadSort(current: HeadSort, column: string): HeadSort {
  if (current.column === column) {
    return { column, direction: current.direction === 'asc' ? 'desc' : 'asc' };
  }
  return { column, direction: column === 'head' || column === 'label' ? 'asc' : 'desc' };
}

/** The largest magnitude of `measure` over every head of every list (≥ 1e-12): one colour scale. */
export function importanceMax(
  lists: readonly (readonly HeadRow[])[],
  measure: ImportanceMeasure,
): number {
  return Math.max(1e-12, ...lists.flatMap((rows) => rows.map((r) => Math.abs(r[measure]))));
}

/**
 * One kind's [layer][head] rows, and the magnitude of full colour: `max` when given (a scale
 * shared with another run's grids), else the largest magnitude of `measure` in `rows`.
 */
export function importanceGrid(
  rows: readonly HeadRow[],
  kind: AttentionKind,
  measure: ImportanceMeasure,
  max = importanceMax([rows], measure),
): { cells: (HeadRow | undefined)[][]; max: number } {
  const mine = rows.filter((r) => r.kind === kind);
  const layers = Math.max(0, ...mine.map((r) => r.layer + 1));
  const heads = Math.max(0, ...mine.map((r) => r.head + 1));
  const cells = Array.from({ length: layers }, (_, l) =>
    Array.from({ length: heads }, (_, h) => mine.find((r) => r.layer === l && r.head === h)),
  );
  return { cells, max };
}

/**
 * Two runs' heads as one table (Compare Runs' "Show as table"): a row per head that either run
 * has, in kind, layer, head order, a column per run with its `measure` (— where it has no such
 * head, or no report).
 */
export function headComparisonTable(
  sides: readonly { label: string; rows: readonly HeadRow[] | null }[],
  measure: ImportanceMeasure,
): TableModel {
  const key = (r: Pick<HeadRow, 'kind' | 'layer' | 'head'>) => headName(r);
  const byRun = sides.map((s) => new Map((s.rows ?? []).map((r) => [key(r), r])));
  const heads = new Map<string, HeadRow>();
  for (const s of sides) for (const r of s.rows ?? []) if (!heads.has(key(r))) heads.set(key(r), r);
  const ordered = [...heads.values()].sort((a, b) => headOrder(a) - headOrder(b));
  const m = MEASURES.find((x) => x.value === measure)!;
  return {
    caption: `${m.text} of every head, a column per run (${m.title})`,
    corner: 'Head',
    columns: sides.map((s) => ({ label: s.label, numeric: true })),
    rows: ordered.map((r) => ({
      header: headName(r),
      cells: byRun.map((runHeads) => {
        const v = runHeads.get(key(r))?.[measure];
        return v === undefined ? NONE : v.toFixed(3);
      }),
    })),
  };
}
