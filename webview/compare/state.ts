/**
 * What the Compare Runs panel remembers (through VS Code's getState/setState, so a hidden and
 * re-shown panel comes back as it was): the last run list, the table's sort, the checked runs,
 * the two runs picked (attention, head importance), the sentence, the attention kind, the last
 * comparison, and the measure the head grids are coloured by.
 * Only this module changes it.
 */
import type { AttentionKind } from '../../src/decode/attentionMaps';
import { ATTENTION_KINDS } from '../../src/decode/attentionMaps';
import type { CompareAttentionResultMessage, RunsStateMessage } from '../../src/shared/protocol';
import { ImportanceMeasure, MEASURES } from '../specs/headRows';
import { ColumnKey, columnByKey, DEFAULT_SORT, nextSort, SortState } from '../specs/runRows';
import { Picks, reconcilePicks, reconcileSelection, Selection } from '../specs/runSelection';
import { getState, setState, updater } from '../shared/vscodeApi';
import { runsStateProblem } from '../../src/shared/validate';
import { compareResultProblem } from './guards';

export const DEFAULT_SENTENCE = "i'm home .";

export interface CompareState {
  data: RunsStateMessage | null;
  sort: SortState;
  selection: Selection | null;
  picks: Picks;
  sentence: string;
  kind: AttentionKind;
  result: CompareAttentionResultMessage | null;
  /** "Show as table": the curves, the compared heatmaps, and the heads of two runs, as tables. */
  curvesTable: boolean;
  attentionTable: boolean;
  headsTable: boolean;
  /** What the head grids of the two runs are coloured by. */
  headMeasure: ImportanceMeasure;
  /** "Show all columns" of the runs table in a narrow panel. */
  allColumns: boolean;
}

export const state: CompareState = {
  data: null,
  sort: { ...DEFAULT_SORT },
  selection: null,
  picks: [null, null],
  sentence: DEFAULT_SENTENCE,
  kind: 'encoderSelf',
  result: null,
  curvesTable: false,
  attentionTable: false,
  headsTable: false,
  headMeasure: 'gradient',
  allColumns: false,
};

export function save(): void {
  setState<CompareState>(state);
}

/**
 * Changes the sentence, the attention kind, the comparison or a table view, and saves; false
 * when unchanged.
 */
export const update = updater(state, save);

/** The checked runs' ids as a set (empty before the first list). */
export function checkedIds(): Set<string> {
  return new Set(state.selection?.checked ?? []);
}

/** Takes a new run list: selections and picks drop deleted runs and take in new ones. */
export function applyRuns(m: RunsStateMessage): void {
  state.data = m;
  state.selection = reconcileSelection(m.runs, state.selection);
  state.picks = reconcilePicks(m.runs, state.picks);
  save();
}

/** A header was clicked: sort by its column, or reverse the order when it is the sorted one. */
export function sortBy(column: ColumnKey): void {
  state.sort = nextSort(state.sort, column);
  save();
}

/** Checks exactly `ids`; false before the first run list. */
export function setChecked(ids: readonly string[]): boolean {
  if (!state.selection) return false;
  state.selection = { ...state.selection, checked: [...new Set(ids)] };
  save();
  return true;
}

export function setPick(side: 0 | 1, runId: string): void {
  const picks: Picks = [...state.picks];
  picks[side] = runId;
  update({ picks });
}

function isPick(v: unknown): v is string | null {
  return v === null || typeof v === 'string';
}

/** Restores what setState kept, field by field (a field of the wrong shape keeps its default). */
export function restore(): boolean {
  const saved = getState<Partial<CompareState>>();
  if (!saved || typeof saved !== 'object') return false;
  if (saved.sort && columnByKey(saved.sort.column)) {
    state.sort = {
      column: saved.sort.column,
      direction: saved.sort.direction === 'asc' ? 'asc' : 'desc',
    };
  }
  const sel = saved.selection;
  if (sel && Array.isArray(sel.checked) && Array.isArray(sel.known)) {
    state.selection = { checked: sel.checked.map(String), known: sel.known.map(String) };
  }
  const picks = saved.picks;
  if (Array.isArray(picks) && picks.length === 2 && picks.every(isPick)) {
    state.picks = [picks[0], picks[1]];
  }
  if (typeof saved.sentence === 'string') state.sentence = saved.sentence;
  if (MEASURES.some((m) => m.value === saved.headMeasure)) state.headMeasure = saved.headMeasure!;
  for (const flag of ['curvesTable', 'attentionTable', 'headsTable', 'allColumns'] as const) {
    const v = saved[flag];
    if (typeof v === 'boolean') state[flag] = v;
  }
  if (ATTENTION_KINDS.includes(saved.kind as AttentionKind)) state.kind = saved.kind!;
  if (saved.data && !runsStateProblem(saved.data)) applyRuns(saved.data);
  if (saved.result && !compareResultProblem(saved.result)) state.result = saved.result;
  return state.data !== null;
}
