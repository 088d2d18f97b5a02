/**
 * The attention panel's per-head statistics of the sentence shown (issue 13 item 4): a row per
 * head with its statistics on these maps (src/explore/headStats.ts), its label, and beside them
 * the same head's averages over held-out pairs when the run's head report has them; the table's
 * columns, the kind filter and sorting; the labels drawn on the heatmaps. Pure: no DOM.
 */
import type { AttentionKind, AttentionMaps } from '../../src/decode/attentionMaps';
import { ATTENTION_KINDS } from '../../src/decode/attentionMaps';
import { headLabels, headStatsOf } from '../../src/explore/headStats';
import type { HeadLabel, HeadStats, HeadStatsTable } from '../../src/explore/headStats';
import type { HeadRef, HeadRow } from '../../src/shared/protocol';
import { HeadSort, headName } from './headRows';

/** What one head did: its statistics and its label (on a sentence, or on held-out pairs). */
export type Measured = Pick<HeadRow, 'stats' | 'label'>;

export interface StatRow extends HeadRef, Measured {
  /** The same head averaged over the run's held-out pairs (its head report), or null. */
  heldOut: Measured | null;
  /** Switched off in the (masked) translation these statistics are of. */
  off: boolean;
}

/** Which kinds the table lists. */
export type StatsKind = AttentionKind | 'all';

export const STATS_KINDS: readonly { value: StatsKind; text: string }[] = [
  { value: 'all', text: 'All' },
  { value: 'encoderSelf', text: 'Encoder self' },
  { value: 'decoderSelf', text: 'Decoder self' },
  { value: 'encoderDecoder', text: 'Encoder–decoder' },
];

/** Head order first: kind, layer, head, as the grids. */
export const DEFAULT_STATS_SORT: HeadSort = { column: 'head', direction: 'asc' };

export interface StatColumn {
  key: string;
  header: string;
  /** The header's hover text: what the column means. */
  title: string;
  numeric: boolean;
  /** The sort value of a row: this sentence's. */
  value(row: StatRow): number | string;
  /** A cell's text for `m`: the row's own statistics, or its held-out averages. */
  text(m: Measured): string;
}

const percent = (v: number) => `${Math.round(100 * v)}%`;

function statColumn(
  key: keyof HeadStats,
  header: string,
  title: string,
  format: (v: number) => string,
): StatColumn {
  return {
    key,
    header,
    title,
    numeric: true,
    value: (row) => row.stats[key],
    text: (m) => format(m.stats[key]),
  };
}

/** The statistic columns (the head's name and the label go before and after them). */
export const STAT_COLUMNS: readonly StatColumn[] = [
  statColumn('entropy', 'Entropy', 'Mean entropy of a query row, in nats', (v) => v.toFixed(2)),
  statColumn(
    'normalizedEntropy',
    'Spread',
    'Entropy / log(visible keys): 1 is uniform (broad), 0 all on one key',
    (v) => v.toFixed(2),
  ),
  statColumn('same', 'Same', 'Share of weight on the same position', percent),
  statColumn('previous', 'Prev', 'Share of weight on the previous position', percent),
  statColumn('next', 'Next', 'Share of weight on the next position', percent),
  statColumn('eos', '<eos>', 'Share of weight on <eos> keys', percent),
  statColumn('bos', '<bos>', 'Share of weight on <bos> keys', percent),
  statColumn('punctuation', 'Punct.', 'Share of weight on , . ! ? keys', percent),
];

export const LABEL_COLUMN: StatColumn = {
  key: 'label',
  header: 'Label',
  title: 'What dominates the head (a share ≥ 50%, or spread ≥ 0.85: broad), where something does',
  numeric: false,
  value: (row) => row.label ?? '',
  text: (m) => m.label ?? '—',
};

/** "enc 1.2", with "(off)" when the head is switched off in the translation shown. */
export function statRowName(row: StatRow): string {
  return `${headName(row)}${row.off ? ' (off)' : ''}`;
}

const keyOf = (r: HeadRef) => `${r.kind}/${r.layer}/${r.head}`;

/**
 * A row per head of `table`, kind by kind, layer by layer; `heldOut`: the head report's rows
 * (matched by kind, layer and head: a report of another model's shape matches what it can);
 * `off`: the heads switched off in the translation `table` is of.
 */
export function statRows(
  table: HeadStatsTable,
  o: { heldOut?: readonly HeadRow[] | null; off?: readonly HeadRef[] } = {},
): StatRow[] {
  const labels = headLabels(table);
  const held = new Map((o.heldOut ?? []).map((r) => [keyOf(r), r]));
  const off = new Set((o.off ?? []).map(keyOf));
  return ATTENTION_KINDS.flatMap((kind) =>
    table[kind].flatMap((heads, layer) =>
      heads.map((stats, head) => {
        const ref = { kind, layer, head };
        const h = held.get(keyOf(ref));
        return {
          ...ref,
          stats,
          label: labels[kind][layer][head],
          heldOut: h ? { stats: h.stats, label: h.label } : null,
          off: off.has(keyOf(ref)),
        };
      }),
    ),
  );
}

function headOrder(r: HeadRef): number {
  return ATTENTION_KINDS.indexOf(r.kind) * 1e6 + r.layer * 1e3 + r.head;
}

/**
 * The rows of `kind` (or all) in the sort's order; ties (and the "head" column) in kind, layer,
 * head order; an unknown column sorts by head. Returns a new array.
 */
export function sortStatRows(rows: readonly StatRow[], sort: HeadSort, kind: StatsKind): StatRow[] {
  const column = [...STAT_COLUMNS, LABEL_COLUMN].find((c) => c.key === sort.column);
  const sign = sort.direction === 'asc' ? 1 : -1;
  const compare = (a: StatRow, b: StatRow): number => {
    if (!column) return headOrder(a) - headOrder(b);
    const [x, y] = [column.value(a), column.value(b)];
    return typeof x === 'number' && typeof y === 'number'
      ? x - y
      : String(x).localeCompare(String(y));
  };
  return rows
    .filter((r) => kind === 'all' || r.kind === kind)
    .sort((a, b) => sign * compare(a, b) || headOrder(a) - headOrder(b));
}

/** Each head's label on `maps`, [layer][head] per kind (what the heatmaps' headers show). */
export function labelsOf(maps: AttentionMaps): Record<AttentionKind, (HeadLabel | null)[][]> {
  return headLabels(headStatsOf(maps));
}

/** A heatmap's accessible name with its label: "Encoder self-attention, layer 1, head 2: broad". */
export function labelledName(name: string, label: HeadLabel | null): string {
  return label ? `${name}: ${label}` : name;
}
