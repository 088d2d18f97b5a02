/**
 * The translated sentences, newest first: English, the model's French (its words highlight their
 * source in the editor, ./targetWords.ts) and the reference, words the model did not know
 * marked, BLEU, beam candidates, and "Show attention" per item.
 */
import { h, replaceChildren } from '../shared/dom';
import { formatBleu } from '../shared/format';
import { emptyState } from '../shared/layout';
import { truncationNote, unknownNote, withUnknownWordsMarked } from '../shared/unknownWords';
import { candidatesView } from './candidates';
import type { ListItem } from './state';
import { targetWords } from './targetWords';

export interface TranslationList {
  element: HTMLElement;
  render(items: readonly ListItem[]): void;
}

export function createTranslationList(handlers: {
  onShowAttention(id: number): void;
  /** An output token is hovered or focused (its step), or none is any more (null). */
  onHighlight(id: number, target: number | null): void;
  /** The empty list's "Train Transformer". */
  onTrain(): void;
}): TranslationList {
  const list = h('ol', { class: 'translations', id: 'translations', 'aria-live': 'polite' });
  const itemView = (item: ListItem): HTMLElement => {
    const button = h(
      'button',
      { type: 'button', class: 'secondary show-attention', 'data-id': item.id },
      'Show attention',
    );
    button.addEventListener('click', () => handlers.onShowAttention(item.id));
    const hasUnk = item.translation.includes('<unk>') || item.unknownTokens.length > 0;
    return h(
      'li',
      { class: `translation${hasUnk ? ' has-unk' : ''}`, 'data-id': item.id },
      pairView(item, handlers.onHighlight),
      truncationNote(item.truncation),
      unknownNote(item.unknownTokens),
      item.candidates?.length ? candidatesView(item, item.candidates) : null,
      h('div', { class: 'item-footer' }, bleuView(item), button),
    );
  };
  return {
    element: list,
    render(items) {
      replaceChildren(
        list,
        items.length
          ? items.map(itemView)
          : emptyState(
              'No translations yet. Type an English sentence above, or select English text in ' +
                'an editor and run “Translate Selection” from its context menu. Translating ' +
                'needs a trained model: train one first if you have none.',
              {
                tag: 'li',
                id: 'translations-empty',
                actions: [
                  { id: 'empty-train', text: 'Train Transformer', onClick: handlers.onTrain },
                ],
              },
            ),
      );
    },
  };
}

/** The model's French: its words highlight their English source in the editor. */
function targetView(item: ListItem, onHighlight: (id: number, target: number | null) => void) {
  if (!item.translation) return h('span', { class: 'target', lang: 'fr' }, '(empty)');
  const title = 'Highlights its English source in the editor';
  return targetWords(item.translation, title, (step) => onHighlight(item.id, step));
}

function pairView(
  item: ListItem,
  onHighlight: (id: number, target: number | null) => void,
): HTMLElement {
  return h(
    'div',
    { class: 'pair' },
    h('span', { class: 'lang', 'aria-label': 'English' }, 'EN'),
    h('span', { class: 'source' }, withUnknownWordsMarked(item.source, item.unknownTokens)),
    h('span', { class: 'lang', 'aria-label': 'French (model)' }, 'FR'),
    targetView(item, onHighlight),
    item.reference !== undefined
      ? [
          h('span', { class: 'lang muted', 'aria-label': 'Reference' }, 'REF'),
          h('span', { class: 'reference muted', lang: 'fr' }, item.reference),
        ]
      : null,
  );
}

function bleuView(item: ListItem): HTMLElement {
  return item.bleu !== undefined
    ? h(
        'span',
        { class: 'bleu', title: "the book's bleu(pred, label, k=2)" },
        `BLEU ${formatBleu(item.bleu)}`,
      )
    : h('span', { class: 'muted' }, 'no reference');
}
