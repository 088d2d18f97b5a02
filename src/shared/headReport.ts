/**
 * A model's head report (issue 13 items 3 and 4): every head's importance over held-out pairs
 * beside its attention statistics on the same pairs, and the pruning curve. The worker and the
 * CLI make it (src/explore/headReport.ts), a run's record keeps it (run.json `heads`), the Heads
 * panel and Compare Runs show it. Types and the one check of a report read back from disk.
 */
import { ATTENTION_KINDS } from '../decode/attentionMaps';
import type { HeadImportance, HeadScore, ImportanceProgress } from '../explore/importanceTypes';
import type { HeadLabel, HeadStats } from '../explore/headStats';
import { Obj, isArrayOf, isNum, isObj, isStr } from './shapes';

/** One head: its scores, its statistics averaged over the held-out pairs, and its label. */
export interface HeadRow extends HeadScore {
  stats: HeadStats;
  label: HeadLabel | null;
}

export interface HeadReport extends Pick<
  HeadImportance,
  'count' | 'baseline' | 'order' | 'pruning' | 'seconds'
> {
  createdAt: string;
  /** 0-based corpus line of the first held-out pair (after the training pairs). */
  fromLine: number;
  /** Every head, kind by kind, layer by layer. */
  heads: HeadRow[];
}

/** How far scoring has got (the worker's headsProgress, the CLI's stderr). */
export type HeadsProgress = Parameters<ImportanceProgress>[0];

/** Every head of the largest model the settings allow (numLayers ≤ 12, numHeads ≤ 64, 3 kinds). */
const MAX_HEADS = 3 * 12 * 64;
const ORDERS: readonly HeadReport['order'][] = ['gradient', 'bleuDrop', 'lossIncrease'];
const STAT_KEYS: readonly (keyof HeadStats)[] = [
  'entropy',
  'normalizedEntropy',
  'same',
  'previous',
  'next',
  'eos',
  'bos',
  'punctuation',
  'rows',
];

const isScore = (v: unknown): boolean => isObj(v) && isNum(v.bleu) && isNum(v.loss);

function isHeadRef(v: Obj): boolean {
  return (
    ATTENTION_KINDS.includes(v.kind as HeadRow['kind']) &&
    Number.isInteger(v.layer) &&
    (v.layer as number) >= 0 &&
    Number.isInteger(v.head) &&
    (v.head as number) >= 0
  );
}

function isHeadRow(v: unknown): boolean {
  return (
    isObj(v) &&
    isHeadRef(v) &&
    isNum(v.bleuDrop) &&
    isNum(v.lossIncrease) &&
    isNum(v.gradient) &&
    isObj(v.stats) &&
    STAT_KEYS.every((k) => isNum((v.stats as Obj)[k])) &&
    (v.label === null || isStr(v.label))
  );
}

function isPruningPoint(v: unknown): boolean {
  return (
    isObj(v) &&
    Number.isInteger(v.k) &&
    isScore(v) &&
    (v.head === null || (isObj(v.head) && isHeadRef(v.head)))
  );
}

/** `raw` as a HeadReport, or why it is not one. */
export function checkHeadReport(
  raw: unknown,
): { ok: true; report: HeadReport } | { ok: false; error: string } {
  if (!isObj(raw)) return { ok: false, error: 'heads: not an object' };
  if (!isStr(raw.createdAt) || !isNum(raw.count) || !isNum(raw.fromLine) || !isNum(raw.seconds))
    return { ok: false, error: 'heads: no createdAt, count, fromLine or seconds' };
  if (!isScore(raw.baseline)) return { ok: false, error: 'heads: bad baseline' };
  if (!ORDERS.includes(raw.order as HeadReport['order']))
    return { ok: false, error: `heads: unknown order ${JSON.stringify(raw.order)}` };
  if (!isArrayOf(raw.heads, MAX_HEADS, isHeadRow)) return { ok: false, error: 'heads: bad heads' };
  if (!isArrayOf(raw.pruning, MAX_HEADS + 1, isPruningPoint))
    return { ok: false, error: 'heads: bad pruning' };
  return { ok: true, report: raw as unknown as HeadReport };
}
