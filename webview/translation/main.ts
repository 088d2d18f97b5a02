/**
 * Translations panel: each translated sentence with its reference and BLEU when known, unknown
 * words flagged, a "Show attention" button per item, and a box to translate a typed sentence.
 * Beam-search items also list their ranked candidates (score, log-probability, BLEU).
 */
import { h, replaceChildren } from '../shared/dom';
import { panelHeader } from '../shared/layout';
import { postRendered, startPanel } from '../shared/panel';
import { createTranslateForm } from '../shared/translateForm';
import { post } from '../shared/vscodeApi';
import * as store from './state';
import { state } from './state';
import { createTranslationList } from './translationList';
import { wordKeysHelp } from './targetWords';

const decodingNote = h('p', { class: 'muted', id: 'decoding-note' });
const form = createTranslateForm({
  label: 'English sentence to translate',
  placeholder: 'Type an English sentence, e.g. "I lost."',
  onSubmit: (sentence) => post({ type: 'translateSentence', sentence }),
  onDraft: (draft) => store.update({ draft }),
});
const list = createTranslationList({
  onShowAttention: (id) => post({ type: 'showAttention', translationId: id }),
  onHighlight: (id, target) => post({ type: 'highlightSource', translationId: id, target }),
  onTrain: () => post({ type: 'runCommand', command: 'train' }),
});

/** The newest item's decoding (set by `transformer.decoding`); greedy before any. */
function renderDecodingNote(): void {
  const decoding = state.items[0]?.decoding;
  decodingNote.textContent =
    decoding && decoding !== 'greedy'
      ? `English → French with the trained Transformer (${decoding}).`
      : 'English → French with the trained Transformer (greedy decoding).';
}

function render(): void {
  renderDecodingNote();
  list.render(state.items);
  postRendered('translation', 0);
}

startPanel({
  kind: 'translation',
  mount(app) {
    replaceChildren(
      app,
      panelHeader('Translations', decodingNote),
      form.element,
      wordKeysHelp(),
      list.element,
    );
    renderDecodingNote();
  },
  restore() {
    const restored = store.restore();
    form.setDraft(state.draft);
    return restored;
  },
  render,
  onMessage(m) {
    if (m.type !== 'translations') return; // meant for another panel
    store.applyTranslations(m.items);
    form.answered();
    render();
  },
});
