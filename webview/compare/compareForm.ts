/**
 * The attention comparison's form: run A and run B (runs with a saved model only), an English
 * sentence, and Compare. It reports choices to the caller; the caller posts the request.
 */
import type { RunRecord } from '../../src/shared/protocol';
import { runLabel } from '../../src/runs/runLabel';
import { MAX_SENTENCE_CHARS } from '../../src/shared/validate';
import { comparableRuns, Picks } from '../specs/runSelection';
import { h, replaceChildren } from '../shared/dom';

export interface CompareFormHandlers {
  onPick(side: 0 | 1, runId: string): void;
  onSentence(text: string): void;
  /** Compare was pressed with two different runs and a sentence. */
  onCompare(runIds: [string, string], sentence: string): void;
}

export interface CompareForm {
  element: HTMLElement;
  render(runs: readonly RunRecord[], picks: Picks, sentence: string): void;
  setStatus(text: string, kind?: 'busy' | 'error' | 'muted'): void;
}

export function createCompareForm(handlers: CompareFormHandlers): CompareForm {
  const selects = [0, 1].map((i) =>
    h('select', { id: i === 0 ? 'pick-a' : 'pick-b', class: 'select pick' }),
  ) as [HTMLSelectElement, HTMLSelectElement];
  const input = h('input', {
    type: 'text',
    id: 'compare-sentence',
    class: 'text-input',
    placeholder: 'An English sentence, e.g. "I\'m home."',
    maxlength: MAX_SENTENCE_CHARS,
    autocomplete: 'off',
    spellcheck: 'false',
  });
  const button = h('button', { type: 'submit', id: 'compare' }, 'Compare');
  const status = h('span', { class: 'form-status muted', id: 'compare-status', role: 'status' });
  const hint = h('p', { class: 'note', id: 'compare-hint', hidden: true });
  const form = h(
    'form',
    { class: 'compare-form', id: 'compare-form' },
    h('label', { for: 'pick-a', class: 'inline-label' }, 'Run A'),
    selects[0],
    h('label', { for: 'pick-b', class: 'inline-label' }, 'Run B'),
    selects[1],
    h('label', { for: 'compare-sentence', class: 'visually-hidden' }, 'English sentence'),
    input,
    button,
    status,
  );

  const setStatus: CompareForm['setStatus'] = (text, kind = 'muted') => {
    status.className = `form-status export-status ${kind}`;
    status.textContent = text;
  };

  const update = (): void => {
    const [a, b] = selects.map((s) => s.value);
    const ok = a !== '' && b !== '' && a !== b;
    button.disabled = !ok;
    const few = [...selects[0].options].filter((o) => o.value).length < 2;
    hint.hidden = ok && !few;
    hint.textContent = few
      ? 'Comparing attention needs two runs with a saved model: finished runs keep theirs.'
      : ok
        ? ''
        : 'Pick two different runs.';
  };

  selects.forEach((select, i) =>
    select.addEventListener('change', () => {
      handlers.onPick(i as 0 | 1, select.value);
      update();
    }),
  );
  input.addEventListener('input', () => handlers.onSentence(input.value));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const sentence = input.value.trim();
    const [a, b] = selects.map((s) => s.value);
    if (!sentence) {
      setStatus('Type a sentence first.', 'error');
      input.focus();
      return;
    }
    if (!a || !b || a === b) return;
    handlers.onCompare([a, b], sentence);
  });

  return {
    element: h('div', { class: 'compare-controls' }, form, hint),
    setStatus,
    render(runs, picks, sentence) {
      const options = comparableRuns(runs);
      selects.forEach((select, i) => {
        replaceChildren(
          select,
          picks[i] === null
            ? h('option', { value: '', disabled: true }, options.length ? 'no other run' : 'no run')
            : null,
          options.map((r) => h('option', { value: r.id }, runLabel(r))),
        );
        select.value = picks[i] ?? '';
        select.disabled = options.length === 0;
      });
      if (document.activeElement !== input) input.value = sentence;
      update();
    },
  };
}
