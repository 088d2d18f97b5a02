/**
 * The model's French as one tab stop: a horizontal listbox of its words with a roving focus
 * (Left and Right, Home and End move among them). Hovering or focusing a word highlights the
 * English words it attended to in the editor (src/host/sourceHighlight.ts); leaving the words
 * clears it. The sentence is the listbox's name and the keys its description (one hidden text
 * per panel), so a screen reader says them once on entering and then only the word, as the
 * heatmaps do.
 */
import { h } from '../shared/dom';
import { withUnkMarked } from '../shared/unknownWords';

export const WORD_KEYS_ID = 'target-word-keys';

/** The description every translation's words point to: put once in the panel. */
export function wordKeysHelp(): HTMLElement {
  return h(
    'p',
    { class: 'visually-hidden', id: WORD_KEYS_ID },
    'Left and Right arrow keys, Home and End move between the words; the editor highlights ' +
      'the English words the focused one attended to.',
  );
}

/** Where a key moves the focus among `count` words from `at`; null for other keys. */
export function nextWord(key: string, at: number, count: number): number | null {
  switch (key) {
    case 'ArrowRight':
      return Math.min(count - 1, at + 1);
    case 'ArrowLeft':
      return Math.max(0, at - 1);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}

/**
 * The words of `translation`. `onHighlight(step)` is called when the word to highlight changes
 * (the hovered one, else the focused one; null: none). `title`: what the words' tooltip says.
 */
export function targetWords(
  translation: string,
  title: string,
  onHighlight: (step: number | null) => void,
): HTMLElement {
  const words = translation.split(' ').map((token, step) =>
    h(
      'span',
      {
        class: 'out-token',
        role: 'option',
        tabindex: step === 0 ? 0 : -1,
        'aria-selected': String(step === 0),
        'data-step': step,
      },
      withUnkMarked(token),
    ),
  );
  const box = h(
    'span',
    {
      class: 'target',
      lang: 'fr',
      role: 'listbox',
      'aria-orientation': 'horizontal',
      'aria-label': `French (model): ${translation}`,
      'aria-describedby': WORD_KEYS_ID,
      // On the words' box, not each word: a pointer gets it over any word, while a screen reader
      // (which reads a title as a description) does not hear it again on every word.
      title,
    },
    words.flatMap((w) => [w, ' ']).slice(0, -1),
  );
  wire(box, words, onHighlight);
  return box;
}

/** The pointer and the focus each name a word (or none); the pointer's wins while it is on one. */
function wire(
  box: HTMLElement,
  words: HTMLElement[],
  onHighlight: (step: number | null) => void,
): void {
  let hovered: number | null = null;
  let focused: number | null = null;
  let shown: number | null = null;
  const update = () => {
    const now = hovered ?? focused;
    if (now === shown) return;
    shown = now;
    onHighlight(now);
  };
  const stepOf = (target: EventTarget | null) => {
    const word = target instanceof Element ? target.closest<HTMLElement>('.out-token') : null;
    return word ? Number(word.dataset.step) : null;
  };
  box.addEventListener('mouseover', (e) => {
    hovered = stepOf(e.target);
    update();
  });
  box.addEventListener('mouseleave', () => {
    hovered = null;
    update();
  });
  box.addEventListener('focusin', (e) => {
    focused = stepOf(e.target);
    for (const [i, w] of words.entries()) {
      w.tabIndex = i === focused ? 0 : -1;
      w.setAttribute('aria-selected', String(i === focused));
    }
    update();
  });
  box.addEventListener('focusout', (e) => {
    if (e.relatedTarget instanceof Node && box.contains(e.relatedTarget)) return;
    focused = null;
    update();
  });
  box.addEventListener('keydown', (e) => {
    const at = stepOf(e.target);
    const next = at === null ? null : nextWord(e.key, at, words.length);
    if (next === null) return;
    e.preventDefault();
    words[next].focus();
  });
}
