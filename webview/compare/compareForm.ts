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

interface Parts {
  selects: [HTMLSelectElement, HTMLSelectElement];
  input: HTMLInputElement;
  button: HTMLButtonElement;
  status: HTMLElement;
  hint: HTMLElement;
  form: HTMLFormElement;
}

function buildParts(): Parts {
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
  const hint = h('p', { class: 'note', id: 'compare-hint', hidden: true });
  return { selects, input, button, status, hint, form };
}

/** Compare is enabled for two different runs; the hint says what is missing. */
function updateButton(e: Parts): void {
  const [a, b] = e.selects.map((s) => s.value);
  const ok = a !== '' && b !== '' && a !== b;
  e.button.disabled = !ok;
  const few = [...e.selects[0].options].filter((o) => o.value).length < 2;
  e.hint.hidden = ok && !few;
  e.hint.textContent = few
    ? 'Comparing attention needs two runs with a saved model: finished runs keep theirs.'
    : ok
      ? ''
      : 'Pick two different runs.';
}

function renderPicks(e: Parts, runs: readonly RunRecord[], picks: Picks): void {
  const options = comparableRuns(runs);
  e.selects.forEach((select, i) => {
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
}

export function createCompareForm(handlers: CompareFormHandlers): CompareForm {
  const e = buildParts();
  const setStatus: CompareForm['setStatus'] = (text, kind = 'muted') => {
    e.status.className = `form-status export-status ${kind}`;
    e.status.textContent = text;
  };
  e.selects.forEach((select, i) =>
    select.addEventListener('change', () => {
      handlers.onPick(i as 0 | 1, select.value);
      updateButton(e);
    }),
  );
  e.input.addEventListener('input', () => handlers.onSentence(e.input.value));
  e.form.addEventListener('submit', (event) => {
    event.preventDefault();
    const sentence = e.input.value.trim();
    const [a, b] = e.selects.map((s) => s.value);
    if (!sentence) {
      setStatus('Type a sentence first.', 'error');
      e.input.focus();
      return;
    }
    if (!a || !b || a === b) return;
    handlers.onCompare([a, b], sentence);
  });
  return {
    element: h('div', { class: 'compare-controls' }, e.form, e.hint),
    setStatus,
    render(runs, picks, sentence) {
      renderPicks(e, runs, picks);
      if (document.activeElement !== e.input) e.input.value = sentence;
      updateButton(e);
    },
  };
}
