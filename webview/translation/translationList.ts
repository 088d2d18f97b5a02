/**
 * The translated sentences, newest first: English, the model's French (its words highlight their
 * source in the editor, ./targetWords.ts) and the reference, words the model did not know
 * marked, BLEU, beam candidates, and "Show attention" per item.
 */
import { HeadChoice, choiceLabel, hasChoice } from '../../src/shared/sourceAttention';
import { h, replaceChildren } from '../shared/dom';
import { formatBleu } from '../shared/format';
import { emptyState } from '../shared/layout';
import { truncationNote, unknownNote, withUnknownWordsMarked } from '../shared/unknownWords';
import { candidatesView } from './candidates';
import type { ListItem } from './state';
import { targetWords } from './targetWords';

export interface TranslationList {
  element: HTMLElement;
  /** `choice`: the layer and head the editor highlight follows (null: none to offer yet). */
  render(items: readonly ListItem[], choice: HeadChoice | null): void;
}

type OnHighlight = (id: number, target: number | null) => void;

export function createTranslationList(handlers: {
  onShowAttention(id: number): void;
  /** An output token is hovered or focused (its step), or none is any more (null). */
  onHighlight: OnHighlight;
  /** The empty list's "Train Transformer". */
  onTrain(): void;
}): TranslationList {
  const list = h('ol', { class: 'translations', id: 'translations', 'aria-live': 'polite' });
  const itemView = (item: ListItem, choice: HeadChoice | null): HTMLElement => {
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
      pairView(item, wordTitle(item, choice), handlers.onHighlight),
      truncationNote(item.truncation),
      unknownNote(item.unknownTokens),
      item.candidates?.length ? candidatesView(item, item.candidates) : null,
      h('div', { class: 'item-footer' }, bleuView(item), button),
    );
  };
  return {
    element: list,
    render(items, choice) {
      replaceChildren(
        list,
        items.length
          ? items.map((item) => itemView(item, choice))
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

/** The French words' tooltip: what hovering one highlights, or why they highlight nothing. */
function wordTitle(item: ListItem, choice: HeadChoice | null): string {
  const shape = item.shape;
  if (!choice || !shape) return 'Highlights its English source in the editor';
  if (!hasChoice(shape, choice))
    return (
      `Not highlighted: its model has ${shape.layers} layers of ${shape.heads} heads ` +
      `(the editor highlight shows ${choiceLabel(choice)})`
    );
  return `Highlights its English source in the editor (${choiceLabel(choice)})`;
}

function targetView(item: ListItem, title: string, onHighlight: OnHighlight): HTMLElement {
  if (!item.translation) return h('span', { class: 'target', lang: 'fr' }, '(empty)');
  return targetWords(item.translation, title, (step) => onHighlight(item.id, step));
}

function pairView(item: ListItem, title: string, onHighlight: OnHighlight): HTMLElement {
  return h(
    'div',
    { class: 'pair' },
    h('span', { class: 'lang', 'aria-label': 'English' }, 'EN'),
    h('span', { class: 'source' }, withUnknownWordsMarked(item.source, item.unknownTokens)),
    h('span', { class: 'lang', 'aria-label': 'French (model)' }, 'FR'),
    targetView(item, title, onHighlight),
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
