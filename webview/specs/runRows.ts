/**
 * The Compare Runs table: its columns (header, sort value, text shown, hover title), sorting
 * (numbers, strings, missing values last in both directions) and the numbers derived from a
 * run (final loss, seed BLEU, …). Pure: no DOM.
 */
import type { RunRecord } from '../../src/shared/protocol';
import { formatBleu, formatDuration, formatInteger } from '../shared/format';
import { formatBytes } from '../../src/shared/formatBytes';

/** What a cell shows when the run has no such value. */
export const NONE = '—';

export type SortDirection = 'asc' | 'desc';
export type SortValue = number | string | null;

export type ColumnKey =
  | 'run'
  | 'date'
  | 'status'
  | 'layers'
  | 'hidden'
  | 'heads'
  | 'attention'
  | 'pairs'
  | 'epochs'
  | 'backend'
  | 'loss'
  | 'speed'
  | 'time'
  | 'seedBleu'
  | 'bleu2'
  | 'bleu4'
  | 'size';

export interface RowContext {
  currentRunId: string | null;
}

export interface RunColumn {
  key: ColumnKey;
  /** Header text. */
  label: string;
  /** Header hover text: what the column means. */
  title: string;
  numeric: boolean;
  /** The direction of the first click on the header (the most useful order first). */
  firstDirection: SortDirection;
  value(run: RunRecord, ctx: RowContext): SortValue;
  text(run: RunRecord, ctx: RowContext): string;
  /** Hover text of a cell (the exact value, a count), when it adds something. */
  cellTitle?(run: RunRecord): string | undefined;
}

export interface SortState {
  column: ColumnKey;
  direction: SortDirection;
}

/** Newest first. */
export const DEFAULT_SORT: SortState = { column: 'run', direction: 'desc' };

// ------------------------------------------------------------------ derived numbers

export function finalLoss(run: RunRecord): number | null {
  return finite(run.summary?.lossPerToken ?? run.points[run.points.length - 1]?.lossPerToken);
}

export function tokensPerSecond(run: RunRecord): number | null {
  return finite(run.summary?.tokensPerSecond ?? run.points[run.points.length - 1]?.tokensPerSecond);
}

export function wallSeconds(run: RunRecord): number | null {
  return finite(run.summary?.seconds ?? run.points[run.points.length - 1]?.elapsedSeconds);
}

export function epochsCompleted(run: RunRecord): number {
  return run.summary?.epochsCompleted ?? run.points[run.points.length - 1]?.epoch ?? 0;
}

/** Mean of the seed sentences' BLEU (those that have a reference); null when none has. */
export function seedBleu(run: RunRecord): number | null {
  const scores = run.seeds
    .map((s) => s.bleu)
    .filter((b): b is number => typeof b === 'number' && Number.isFinite(b));
  return scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : null;
}

function finite(n: number | undefined | null): number | null {
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
}

// ------------------------------------------------------------------ formatting

/** "Run 7": the run's short name (legend, column headers). */
export function runName(run: Pick<RunRecord, 'number'>): string {
  return `Run ${run.number}`;
}

/** A size, or `—` when the record has none. */
export function formatSize(bytes: number): string {
  return Number.isFinite(bytes) && bytes >= 0 ? formatBytes(bytes) : NONE;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** An ISO time as local `2026-11-25 10:15`; `—` when it does not parse. */
export function formatDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return NONE;
  return (
    `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ` +
    `${pad2(d.getHours())}:${pad2(d.getMinutes())}`
  );
}

function orNone<T>(v: T | null, f: (x: T) => string): string {
  return v === null ? NONE : f(v);
}

function time(iso: string): number | null {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

// ------------------------------------------------------------------ the columns

const num = (
  key: ColumnKey,
  label: string,
  title: string,
  value: (r: RunRecord) => number | null,
  text: (v: number) => string,
  firstDirection: SortDirection = 'asc',
  cellTitle?: (r: RunRecord) => string | undefined,
): RunColumn => ({
  key,
  label,
  title,
  numeric: true,
  firstDirection,
  value,
  text: (r) => orNone(value(r), text),
  cellTitle,
});

const heldOutTitle = (r: RunRecord): string | undefined =>
  r.heldOut ? `on ${formatInteger(r.heldOut.count)} held-out pairs` : 'not scored';

export const RUN_COLUMNS: readonly RunColumn[] = [
  {
    key: 'run',
    label: 'Run',
    title: 'Run number (newest is highest)',
    numeric: false,
    firstDirection: 'desc',
    value: (r) => r.number,
    text: (r, ctx) => `${runName(r)}${r.id === ctx.currentRunId ? ' (current)' : ''}`,
  },
  {
    key: 'date',
    label: 'Date',
    title: 'When training started',
    numeric: false,
    firstDirection: 'desc',
    value: (r) => time(r.createdAt),
    text: (r) => formatDate(r.createdAt),
    cellTitle: (r) => r.createdAt,
  },
  {
    key: 'status',
    label: 'Status',
    title: 'finished, cancelled or failed',
    numeric: false,
    firstDirection: 'asc',
    value: (r) => r.status,
    text: (r) => r.status,
    cellTitle: (r) => r.error,
  },
  num(
    'layers',
    'Layers',
    'Encoder and decoder blocks (numLayers)',
    (r) => finite(r.hyperparameters.numLayers),
    String,
  ),
  num(
    'hidden',
    'Hidden',
    'Model width (numHiddens)',
    (r) => finite(r.hyperparameters.numHiddens),
    String,
  ),
  num(
    'heads',
    'Heads',
    'Attention heads per layer (numHeads)',
    (r) => finite(r.hyperparameters.numHeads),
    String,
  ),
  {
    key: 'attention',
    label: 'Attention',
    title: 'Scoring function of every attention layer (attentionFunction)',
    numeric: false,
    firstDirection: 'asc',
    value: (r) => r.hyperparameters.attentionFunction ?? null,
    text: (r) => r.hyperparameters.attentionFunction ?? NONE,
  },
  num(
    'pairs',
    'Pairs',
    'Training sentence pairs (numExamples)',
    (r) => finite(r.hyperparameters.numExamples),
    formatInteger,
  ),
  {
    key: 'epochs',
    label: 'Epochs',
    title: 'Epochs trained (of those asked for, when it stopped early)',
    numeric: true,
    firstDirection: 'desc',
    value: (r) => epochsCompleted(r),
    text: (r) => {
      const done = epochsCompleted(r);
      const asked = r.hyperparameters.numEpochs;
      return done === asked
        ? formatInteger(done)
        : `${formatInteger(done)} / ${formatInteger(asked)}`;
    },
  },
  {
    key: 'backend',
    label: 'Backend',
    title: 'TensorFlow.js backend it trained on',
    numeric: false,
    firstDirection: 'asc',
    value: (r) => r.backend?.label ?? null,
    text: (r) => r.backend?.label ?? NONE,
    cellTitle: (r) => r.backend?.reason || undefined,
  },
  num('loss', 'Loss / token', 'Loss per token after the last epoch', finalLoss, (v) =>
    v.toFixed(4),
  ),
  num('speed', 'Tokens/s', 'Target tokens per second', tokensPerSecond, formatInteger, 'desc'),
  num('time', 'Time', 'Wall time of the training', wallSeconds, formatDuration),
  num(
    'seedBleu',
    'Seed BLEU',
    "Mean BLEU (k=2) of the book's seed sentences",
    seedBleu,
    formatBleu,
    'desc',
    (r) => {
      const n = r.seeds.filter((s) => typeof s.bleu === 'number').length;
      return n ? `mean of ${n} sentence${n === 1 ? '' : 's'}` : undefined;
    },
  ),
  num(
    'bleu2',
    'Held-out BLEU-2',
    'Mean BLEU (k=2) on pairs kept out of training',
    (r) => finite(r.heldOut?.meanBleu2),
    formatBleu,
    'desc',
    heldOutTitle,
  ),
  num(
    'bleu4',
    'Corpus BLEU-4',
    'Corpus BLEU-4 on pairs kept out of training',
    (r) => finite(r.heldOut?.corpusBleu4),
    formatBleu,
    'desc',
    heldOutTitle,
  ),
  num(
    'size',
    'Size',
    'Disk space of the run (record and checkpoint)',
    (r) => finite(r.sizeBytes),
    formatSize,
    'desc',
  ),
];

/**
 * The columns a narrow panel keeps (the others come back with "Show all columns"): with the
 * seed BLEU as well the table was 443 px wide in a 400 px panel (315 px for the table).
 */
export const COMPACT_COLUMNS: readonly ColumnKey[] = ['run', 'status', 'loss', 'bleu4'];

export function columnByKey(key: string): RunColumn | undefined {
  return RUN_COLUMNS.find((c) => c.key === key);
}

// ------------------------------------------------------------------ sorting

function compareValues(a: SortValue, b: SortValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), 'en', { numeric: true, sensitivity: 'base' });
}

/**
 * The runs in the column's order. Missing values (null) go last in both directions; ties keep
 * newest first. Returns a new array.
 */
export function sortRuns(
  runs: readonly RunRecord[],
  sort: SortState,
  ctx: RowContext,
): RunRecord[] {
  const column = columnByKey(sort.column) ?? RUN_COLUMNS[0];
  const sign = sort.direction === 'asc' ? 1 : -1;
  return runs
    .map((run) => ({ run, v: column.value(run, ctx) }))
    .sort((x, y) => {
      if (x.v === null || y.v === null) {
        if (x.v === null && y.v === null) return y.run.number - x.run.number;
        return x.v === null ? 1 : -1;
      }
      return sign * compareValues(x.v, y.v) || y.run.number - x.run.number;
    })
    .map((x) => x.run);
}

/** After a click on a column's header: the other direction, or the column's first direction. */
export function nextSort(current: SortState, column: ColumnKey): SortState {
  if (current.column === column) {
    return { column, direction: current.direction === 'asc' ? 'desc' : 'asc' };
  }
  return { column, direction: columnByKey(column)?.firstDirection ?? 'asc' };
}
