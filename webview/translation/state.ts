/**
 * What the translations panel remembers (through getState/setState): the translated items
 * without their attention grids (what the list needs, small enough to keep), the typed sentence,
 * and the layer and head the editor highlight follows. Only this module changes it.
 */
import type { TranslationItem } from '../../src/shared/protocol';
import { CrossShape, HeadChoice, choiceWithin, crossShape } from '../../src/shared/sourceAttention';
import { getState, setState, updater } from '../shared/vscodeApi';

/** An item of the list: a translation without its attention maps, with their size. */
export type ListItem = Omit<TranslationItem, 'attention'> & {
  /** Its model's encoder–decoder layers and heads (absent in a state kept by an older version). */
  shape?: CrossShape;
};

export interface TranslationState {
  items: ListItem[];
  draft: string;
  /** The chooser's layer and head (or mean); null until one is chosen (the last layer's mean). */
  choice: HeadChoice | null;
}

export const state: TranslationState = { items: [], draft: '', choice: null };

function save(): void {
  setState<TranslationState>(state);
}

/** Changes the draft or the choice and saves. */
export const update = updater(state, save);

function strip(item: TranslationItem): ListItem {
  const { attention, ...rest } = item;
  return { ...rest, shape: crossShape(attention) };
}

const isIndex = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;

/** A kept choice of the right shape, or null (a hand-edited or older state). */
function restoredChoice(v: unknown): HeadChoice | null {
  if (!v || typeof v !== 'object') return null;
  const { layer, head } = v as Record<string, unknown>;
  return isIndex(layer) && (head === null || isIndex(head)) ? { layer, head } : null;
}

export function restore(): boolean {
  const saved = getState<Partial<TranslationState>>();
  if (!saved || typeof saved !== 'object') return false;
  state.items = Array.isArray(saved.items) ? saved.items : [];
  state.draft = typeof saved.draft === 'string' ? saved.draft : '';
  state.choice = restoredChoice(saved.choice);
  return true;
}

export function applyTranslations(items: readonly TranslationItem[]): void {
  state.items = items.map(strip);
  save();
}

/**
 * The size the chooser offers: the newest translation's model (normally the current one);
 * null before there is one with attention.
 */
export function chooserShape(): CrossShape | null {
  const shape = state.items[0]?.shape;
  return shape &&
    isIndex(shape.layers) &&
    shape.layers > 0 &&
    isIndex(shape.heads) &&
    shape.heads > 0
    ? shape
    : null;
}

/** The choice the editor highlight follows now: the kept one, within the chooser's model. */
export function effectiveChoice(): HeadChoice | null {
  const shape = chooserShape();
  return shape ? choiceWithin(state.choice, shape) : null;
}
