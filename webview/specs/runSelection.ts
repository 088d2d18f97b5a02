/**
 * Which runs the Compare Runs panel shows and compares: the runs checked in the table (curves and
 * seed translations) and the two picked for the attention comparison. Both survive a new list
 * from the host: deleted runs drop out, runs never seen before are checked. Pure.
 */
import type { RunRecord } from '../../src/shared/protocol';

/** With no earlier choice, at most this many runs (the newest) are checked. */
export const MAX_DEFAULT_CHECKED = 8;

export interface Selection {
  /** Run ids checked in the table. */
  checked: string[];
  /** Every run id the panel has listed, so a run that appears later can be told apart. */
  known: string[];
}

/** Run A and run B of the attention comparison. */
export type Picks = [string | null, string | null];

function newestFirst(runs: readonly RunRecord[]): RunRecord[] {
  return [...runs].sort((a, b) => b.number - a.number);
}

/** All runs, or the newest `max` of them. */
export function defaultChecked(runs: readonly RunRecord[], max = MAX_DEFAULT_CHECKED): string[] {
  return newestFirst(runs)
    .slice(0, Math.max(0, max))
    .map((r) => r.id);
}

/**
 * The selection for a new list of runs: the default on first sight; afterwards the checked runs
 * that still exist plus every run not listed before.
 */
export function reconcileSelection(
  runs: readonly RunRecord[],
  previous: Selection | null,
  max = MAX_DEFAULT_CHECKED,
): Selection {
  const ids = runs.map((r) => r.id);
  if (!previous) return { checked: defaultChecked(runs, max), known: ids };
  const known = new Set(previous.known);
  const was = new Set(previous.checked);
  return {
    checked: ids.filter((id) => was.has(id) || !known.has(id)),
    known: ids,
  };
}

/** Runs that can translate (they have a checkpoint), newest first. */
export function comparableRuns(runs: readonly RunRecord[]): RunRecord[] {
  return newestFirst(runs).filter((r) => r.hasCheckpoint);
}

/**
 * Run A and run B: the earlier picks where they can still translate, else the newest runs (A
 * the newest, B the next one that is not A).
 */
export function reconcilePicks(runs: readonly RunRecord[], previous: Picks | null): Picks {
  const ids = comparableRuns(runs).map((r) => r.id);
  const keep = (id: string | null | undefined): string | null =>
    id !== null && id !== undefined && ids.includes(id) ? id : null;
  let a = keep(previous?.[0]);
  let b = keep(previous?.[1]);
  if (a === null) a = ids.find((id) => id !== b) ?? null;
  if (b === null) b = ids.find((id) => id !== a) ?? null;
  return [a, b];
}
