/**
 * Which encoder–decoder attention the editor highlight (and the editor's hover on source words)
 * shows: a layer, and one head of it or the mean over its heads. Two native selects, so they are
 * reachable and announced like any form control; sized to the newest translation's model.
 */
import type { CrossShape, HeadChoice } from '../../src/shared/sourceAttention';
import { h, replaceChildren } from '../shared/dom';

export interface HeadChooser {
  element: HTMLElement;
  /** Shows `choice` among `shape`'s layers and heads, or hides the chooser (shape null). */
  render(shape: CrossShape | null, choice: HeadChoice | null): void;
}

const MEAN = 'mean';
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

export function createHeadChooser(onChoose: (choice: HeadChoice) => void): HeadChooser {
  const layer = h('select', { id: 'highlight-layer', class: 'select' });
  const head = h('select', { id: 'highlight-head', class: 'select' });
  const choose = () =>
    onChoose({
      layer: Number(layer.value),
      head: head.value === MEAN ? null : Number(head.value),
    });
  layer.addEventListener('change', choose);
  head.addEventListener('change', choose);
  const element = h(
    'div',
    {
      class: 'toolbar head-chooser',
      id: 'head-chooser',
      role: 'group',
      'aria-labelledby': 'head-chooser-title',
      title: 'The encoder–decoder attention the editor shows for a hovered or focused French word',
      hidden: true,
    },
    h('span', { class: 'inline-label', id: 'head-chooser-title' }, 'Editor highlight'),
    // Each select inside its label: a narrow panel wraps them as pairs.
    h('label', { class: 'chooser-field' }, 'Layer', layer),
    h('label', { class: 'chooser-field' }, 'Heads', head),
  );
  /** The options are rebuilt only when the model's size changes (a select keeps its focus). */
  let drawnShape = '';
  return {
    element,
    render(shape, choice) {
      element.hidden = !shape || !choice;
      if (!shape || !choice) return;
      const key = `${shape.layers}x${shape.heads}`;
      if (key !== drawnShape) {
        drawnShape = key;
        replaceChildren(
          layer,
          range(shape.layers).map((l) => h('option', { value: l }, String(l + 1))),
        );
        replaceChildren(
          head,
          h('option', { value: MEAN }, 'all heads (mean)'),
          range(shape.heads).map((k) => h('option', { value: k }, `head ${k + 1}`)),
        );
      }
      layer.value = String(choice.layer);
      head.value = choice.head === null ? MEAN : String(choice.head);
    },
  };
}
