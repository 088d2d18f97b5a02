/**
 * What the attention panel remembers (through VS Code's getState/setState, so a hidden and
 * re-shown panel comes back as it was): the last data from the host, which view and snapshot,
 * the colour scale, whether <pad> positions show, and the typed sentence. Only this module
 * changes it; specs/attentionView.ts derives what is shown from it.
 */
import type { AttentionDataMessage } from '../../src/shared/protocol';
import { AttentionViewState, viewAfterData } from '../specs/attentionView';
import { DEFAULT_STATS_SORT, STATS_KINDS, StatsKind } from '../specs/headStatRows';
import type { HeadSort } from '../specs/headRows';
import { getState, setState, updater } from '../shared/vscodeApi';

export interface AttentionState extends AttentionViewState {
  showPadding: boolean;
  /** "Show as table": each heatmap as a table of its weights. */
  showTable: boolean;
  /** The sentence typed but not translated yet. */
  draft: string;
  /** The per-head statistics table: its order and the kinds it lists. */
  statsSort: HeadSort;
  statsKind: StatsKind;
  /** The encoder layer the rollout map is shown after (null: the last). */
  rolloutLayer: number | null;
}

export const state: AttentionState = {
  data: null,
  mode: 'current',
  snapshotIndex: 0,
  scale: 'max',
  showPadding: true,
  showTable: false,
  draft: '',
  statsSort: DEFAULT_STATS_SORT,
  statsKind: 'all',
  rolloutLayer: null,
};

export function save(): void {
  setState<AttentionState>(state);
}

/** Changes the view, scale, padding, table view or draft, and saves; false when unchanged. */
export const update = updater(state, save);

/** Restores what setState kept, field by field (a field of the wrong shape keeps its default). */
export function restore(): void {
  const saved = getState<Partial<AttentionState>>();
  if (!saved || typeof saved !== 'object') return;
  if (saved.data && typeof saved.data === 'object') state.data = saved.data;
  if (saved.mode === 'current' || saved.mode === 'training') state.mode = saved.mode;
  if (typeof saved.snapshotIndex === 'number') state.snapshotIndex = saved.snapshotIndex;
  if (saved.scale === 'max' || saved.scale === 'one') state.scale = saved.scale;
  if (typeof saved.showPadding === 'boolean') state.showPadding = saved.showPadding;
  if (typeof saved.showTable === 'boolean') state.showTable = saved.showTable;
  if (typeof saved.draft === 'string') state.draft = saved.draft;
  restoreStatistics(saved);
}

function restoreStatistics(saved: Partial<AttentionState>): void {
  const sort = saved.statsSort;
  const direction = sort?.direction;
  if (sort && typeof sort.column === 'string' && (direction === 'asc' || direction === 'desc'))
    state.statsSort = { column: sort.column, direction };
  const kind = STATS_KINDS.find((k) => k.value === saved.statsKind);
  if (kind) state.statsKind = kind.value;
  const layer = saved.rolloutLayer;
  if (layer === null || (typeof layer === 'number' && Number.isInteger(layer) && layer >= 0))
    state.rolloutLayer = layer;
}

/** New data from the host; `asked`: this panel's form asked for the translation in it. */
export function applyData(m: AttentionDataMessage, asked: boolean): void {
  Object.assign(state, viewAfterData(state, m, asked));
  state.data = m;
  save();
}

/** The slider moved: saved with the render it queues (not on every input event). */
export function setSnapshotIndex(index: number): void {
  state.snapshotIndex = index;
}
