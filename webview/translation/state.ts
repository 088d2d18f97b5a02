/**
 * What the translations panel remembers (through getState/setState): the translated items
 * without their attention grids (what the list needs, small enough to keep) and the typed
 * sentence. Only this module changes it.
 */
import type { TranslationItem } from '../../src/shared/protocol';
import { getState, setState, updater } from '../shared/vscodeApi';

/** An item of the list: a translation without its attention maps. */
export type ListItem = Omit<TranslationItem, 'attention'>;

export interface TranslationState {
  items: ListItem[];
  draft: string;
}

export const state: TranslationState = { items: [], draft: '' };

function save(): void {
  setState<TranslationState>(state);
}

/** Changes the draft and saves. */
export const update = updater(state, save);

function strip(item: TranslationItem): ListItem {
  const { attention: _attention, ...rest } = item;
  void _attention;
  return rest;
}

export function restore(): boolean {
  const saved = getState<Partial<TranslationState>>();
  if (!saved || typeof saved !== 'object') return false;
  state.items = Array.isArray(saved.items) ? saved.items : [];
  state.draft = typeof saved.draft === 'string' ? saved.draft : '';
  return true;
}

export function applyTranslations(items: readonly TranslationItem[]): void {
  state.items = items.map(strip);
  save();
}
