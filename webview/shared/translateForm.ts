/**
 * "Type an English sentence, Translate": the form of the translations and attention panels. It
 * keeps the draft (reported on each keystroke, so a re-shown panel gets it back), says
 * "Translating…" until the answer comes, and hands the sentence to the panel, which posts it.
 */
import { MAX_SENTENCE_CHARS } from '../../src/shared/validate';
import { h } from './dom';

export interface TranslateForm {
  element: HTMLFormElement;
  /** Puts a restored draft back in the box. */
  setDraft(text: string): void;
  /** Translations came: clears "Translating…"; true when this form had asked for them. */
  answered(): boolean;
}

export function createTranslateForm(o: {
  /** The box's label (read by screen readers). */
  label: string;
  placeholder: string;
  onSubmit(sentence: string): void;
  onDraft(text: string): void;
}): TranslateForm {
  const input = h('input', {
    type: 'text',
    id: 'sentence',
    class: 'text-input',
    placeholder: o.placeholder,
    maxlength: MAX_SENTENCE_CHARS,
    autocomplete: 'off',
    spellcheck: 'false',
  });
  const status = h('span', { class: 'muted form-status', role: 'status', id: 'form-status' });
  const form = h(
    'form',
    { class: 'translate-form', id: 'translate-form' },
    h('label', { for: 'sentence', class: 'visually-hidden' }, o.label),
    input,
    h('button', { type: 'submit', id: 'translate' }, 'Translate'),
    status,
  );
  let pending = false;
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const sentence = input.value.trim();
    if (!sentence) {
      status.textContent = 'Type a sentence first.';
      input.focus();
      return;
    }
    pending = true;
    status.textContent = 'Translating…';
    o.onSubmit(sentence);
  });
  input.addEventListener('input', () => o.onDraft(input.value));
  return {
    element: form,
    setDraft(text) {
      input.value = text;
    },
    answered() {
      if (!pending) return false;
      pending = false;
      status.textContent = '';
      return true;
    },
  };
}
