/**
 * The line under the panel's title: the translation shown (source → target, reference and
 * BLEU) or the training snapshot's title, and the note on words the model did not know.
 */
import type { DisplayedView } from '../specs/attentionView';
import { h, replaceChildren } from '../shared/dom';
import { unknownNote, withUnkMarked } from '../shared/unknownWords';

export interface Heading {
  elements: HTMLElement[];
  render(d: DisplayedView | null): void;
}

export function createHeading(): Heading {
  const sentenceLine = h('p', { class: 'sentence-line', id: 'sentence-line' });
  const noteSlot = h('div', { id: 'note' });
  return {
    elements: [sentenceLine, noteSlot],
    render(d) {
      const item = d?.item;
      replaceChildren(
        sentenceLine,
        !d
          ? null
          : item
            ? [
                h('span', { class: 'source' }, item.source),
                h('span', { class: 'arrow', 'aria-label': 'translates to' }, ' → '),
                h('span', { class: 'target', lang: 'fr' }, withUnkMarked(item.translation)),
                h('span', { class: 'muted' }, ` · ${d.subtitle}`),
              ]
            : [h('span', {}, d.title), h('span', { class: 'muted' }, ` · ${d.subtitle}`)],
      );
      replaceChildren(noteSlot, item ? unknownNote(item.unknownTokens) : null);
    },
  };
}
