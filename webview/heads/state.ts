/**
 * What the Heads panel remembers (getState/setState): the last headsState from the host, the
 * measure the grids colour by, and the table's sort. Only this module changes it.
 */
import type { HeadsStateMessage } from '../../src/shared/protocol';
import type { HeadSort, ImportanceMeasure } from '../specs/headRows';
import { getState, setState, updater } from '../shared/vscodeApi';

export interface HeadsPanelState {
  data: HeadsStateMessage | null;
  measure: ImportanceMeasure;
  sort: HeadSort;
}

export const state: HeadsPanelState = {
  data: null,
  measure: 'gradient',
  sort: { column: 'gradient', direction: 'desc' },
};

const save = () => setState<HeadsPanelState>(state);

export const update = updater(state, save);

export function restore(): boolean {
  const saved = getState<Partial<HeadsPanelState>>();
  if (!saved || typeof saved !== 'object') return false;
  if (
    saved.measure === 'gradient' ||
    saved.measure === 'bleuDrop' ||
    saved.measure === 'lossIncrease'
  )
    state.measure = saved.measure;
  if (saved.sort && typeof saved.sort.column === 'string') state.sort = saved.sort;
  // The report is not restored: the host answers `ready` with the current one at once.
  return false;
}
