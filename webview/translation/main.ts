/**
 * Translations panel: each translated sentence with its reference and BLEU when known, unknown
 * words flagged, a "Show attention" button per item, and a box to translate a typed sentence.
 * Beam-search items also list their ranked candidates (score, log-probability, BLEU).
 */
import type { TranslationCandidate, TranslationItem } from '../../src/shared/protocol';
import { MAX_SENTENCE_CHARS } from '../../src/shared/validate';
import {
  h,
  replaceChildren,
  unknownNote,
  withUnkMarked,
  withUnknownWordsMarked,
} from '../shared/dom';
import { formatBleu } from '../shared/format';
import {
  enqueue,
  getState,
  installErrorReporting,
  onHostMessage,
  post,
  setState,
} from '../shared/vscodeApi';

/** Items without their attention grids: what the list needs, small enough to keep in state. */
type ListItem = Omit<TranslationItem, 'attention'>;

interface SavedState {
  items: ListItem[];
  draft: string;
}

let items: ListItem[] = [];
let pending = false;

const list = h('ol', { class: 'translations', id: 'translations', 'aria-live': 'polite' });
const input = h('input', {
  type: 'text',
  id: 'sentence',
  class: 'text-input',
  placeholder: 'Type an English sentence, e.g. "I lost."',
  maxlength: MAX_SENTENCE_CHARS,
  autocomplete: 'off',
  spellcheck: 'false',
});
const submit = h('button', { type: 'submit', id: 'translate' }, 'Translate');
const formStatus = h('span', { class: 'muted form-status', role: 'status', id: 'form-status' });
const headerNote = h('p', { class: 'muted', id: 'decoding-note' });

function strip(item: TranslationItem): ListItem {
  const { attention: _attention, ...rest } = item;
  void _attention;
  return rest;
}

function save(): void {
  setState<SavedState>({ items, draft: input.value });
}

function buildSkeleton(): void {
  const app = document.getElementById('app') ?? document.body;
  const form = h(
    'form',
    { class: 'translate-form', id: 'translate-form' },
    h('label', { for: 'sentence', class: 'visually-hidden' }, 'English sentence to translate'),
    input,
    submit,
    formStatus,
  );
  replaceChildren(
    app,
    h('header', { class: 'panel-header' }, h('h1', {}, 'Translations'), headerNote),
    form,
    list,
  );
  updateHeaderNote();
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const sentence = input.value.trim();
    if (!sentence) {
      formStatus.textContent = 'Type a sentence first.';
      input.focus();
      return;
    }
    pending = true;
    formStatus.textContent = 'Translating…';
    post({ type: 'translateSentence', sentence });
  });
  input.addEventListener('input', save);
}

/** The newest item's decoding (set by `transformer.decoding`); greedy before any. */
function updateHeaderNote(): void {
  const decoding = items[0]?.decoding;
  headerNote.textContent =
    decoding && decoding !== 'greedy'
      ? `English → French with the trained Transformer (${decoding}).`
      : 'English → French with the trained Transformer (greedy decoding).';
}

function formatLog(x: number): string {
  return Number.isFinite(x) ? x.toFixed(3).replace('-', '−') : '–';
}

/** Beam search's ranked candidates: a small table, the chosen one (rank 1) first. */
function candidatesView(item: ListItem, candidates: TranslationCandidate[]): HTMLElement {
  const hasBleu = candidates.some((c) => c.bleu !== undefined);
  const captionId = `candidates-${item.id}`;
  const numHead = (text: string, title: string) =>
    h('th', { scope: 'col', class: 'num', title }, text);
  const table = h(
    'table',
    { class: 'data-table candidates', 'aria-labelledby': captionId },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        numHead('#', 'rank by score'),
        h('th', { scope: 'col' }, 'Candidate'),
        numHead('Score', 'log P / L^α, the ranking key'),
        numHead('log P', 'Σ log P(yₜ | y<ₜ, c)'),
        hasBleu ? numHead('BLEU', "the book's bleu(pred, label, k=2)") : null,
      ),
    ),
    h(
      'tbody',
      {},
      candidates.map((c, i) =>
        h(
          'tr',
          { class: i === 0 ? 'chosen' : null },
          h('th', { scope: 'row', class: 'num', title: i === 0 ? 'chosen' : null }, String(i + 1)),
          h('td', { lang: 'fr' }, withUnkMarked(c.translation || '(empty)')),
          h('td', { class: 'num' }, formatLog(c.score)),
          h('td', { class: 'num' }, formatLog(c.logProb)),
          hasBleu ? h('td', { class: 'num' }, formatBleu(c.bleu)) : null,
        ),
      ),
    ),
  );
  const n = candidates.length;
  return h(
    'details',
    { class: 'candidates-box', open: true },
    h(
      'summary',
      { id: captionId },
      `${n} beam candidate${n === 1 ? '' : 's'}`,
      item.decoding ? h('span', { class: 'muted' }, ` · ${item.decoding}`) : null,
    ),
    // Focusable so that keyboard users can scroll it sideways in a narrow panel.
    h(
      'div',
      { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-labelledby': captionId },
      table,
    ),
  );
}

function itemView(item: ListItem): HTMLElement {
  const button = h(
    'button',
    { type: 'button', class: 'secondary show-attention', 'data-id': item.id },
    'Show attention',
  );
  button.addEventListener('click', () => post({ type: 'showAttention', translationId: item.id }));
  const hasUnk = item.translation.includes('<unk>') || item.unknownTokens.length > 0;
  return h(
    'li',
    { class: `translation${hasUnk ? ' has-unk' : ''}`, 'data-id': item.id },
    h(
      'div',
      { class: 'pair' },
      h('span', { class: 'lang', 'aria-label': 'English' }, 'EN'),
      h('span', { class: 'source' }, withUnknownWordsMarked(item.source, item.unknownTokens)),
      h('span', { class: 'lang', 'aria-label': 'French (model)' }, 'FR'),
      h('span', { class: 'target', lang: 'fr' }, withUnkMarked(item.translation || '(empty)')),
      item.reference !== undefined
        ? [
            h('span', { class: 'lang muted', 'aria-label': 'Reference' }, 'REF'),
            h('span', { class: 'reference muted', lang: 'fr' }, item.reference),
          ]
        : null,
    ),
    unknownNote(item.unknownTokens),
    item.candidates?.length ? candidatesView(item, item.candidates) : null,
    h(
      'div',
      { class: 'item-footer' },
      item.bleu !== undefined
        ? h(
            'span',
            { class: 'bleu', title: "the book's bleu(pred, label, k=2)" },
            `BLEU ${formatBleu(item.bleu)}`,
          )
        : h('span', { class: 'muted' }, 'no reference'),
      button,
    ),
  );
}

function render(): void {
  updateHeaderNote();
  if (items.length === 0) {
    replaceChildren(
      list,
      h(
        'li',
        { class: 'empty' },
        'No translations yet. Train a model, then type an English sentence above.',
      ),
    );
  } else {
    replaceChildren(list, items.map(itemView));
  }
  post({ type: 'rendered', panel: 'translation', charts: 0 });
}

function main(): void {
  installErrorReporting();
  buildSkeleton();
  const saved = getState<SavedState>();
  if (saved) {
    items = saved.items ?? [];
    input.value = saved.draft ?? '';
    void enqueue(render, 'restoring the translations panel');
  }
  onHostMessage((m) => {
    switch (m.type) {
      case 'translations':
        items = m.items.map(strip);
        if (pending) {
          pending = false;
          formStatus.textContent = '';
        }
        save();
        render();
        break;
      default:
        break; // meant for another panel
    }
  });
  post({ type: 'ready', panel: 'translation' });
}

main();
