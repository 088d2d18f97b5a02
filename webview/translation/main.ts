/**
 * Translations panel: each translated sentence with its reference and BLEU when known, unknown
 * words flagged, a "Show attention" button per item, and a box to translate a typed sentence.
 * Beam-search items also list their ranked candidates (score, log-probability, BLEU). Hovering or
 * focusing a French word highlights its English source in the editor, by the layer and head (or
 * mean) chosen above the list. That is this panel's own choice, not the attention panel's: the
 * highlight is driven from here, so its control sits here (as a GitLens or Jupyter view keeps its
 * own options), and the attention panel's layer belongs to whichever kind it shows (often not
 * encoder–decoder) while its heads are switched off there, not chosen.
 */
import type { HeadChoice } from '../../src/shared/sourceAttention';
import { h, replaceChildren } from '../shared/dom';
import { panelHeader } from '../shared/layout';
import { postRendered, startPanel } from '../shared/panel';
import { createTranslateForm } from '../shared/translateForm';
import { enqueue, post } from '../shared/vscodeApi';
import * as store from './state';
import { state } from './state';
import { createHeadChooser } from './headChooser';
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
  onHighlight: (id, target) => {
    const choice = store.effectiveChoice();
    if (choice) post({ type: 'highlightSource', translationId: id, target, ...choice });
  },
  onTrain: () => post({ type: 'runCommand', command: 'train' }),
});
const chooser = createHeadChooser((choice) => {
  if (store.update({ choice })) void enqueue(render, 'choosing the highlighted head');
});

/** The choice the host last heard from this page (it starts with none: the last layer's mean). */
let toldChoice = '';

/** The editor's hover follows the choice too: the host hears it when it changes (and once per
 * page, after a reload), with no word to highlight. */
function tellChoice(choice: HeadChoice | null): void {
  const key = JSON.stringify(choice);
  const id = state.items[0]?.id;
  if (!choice || id === undefined || key === toldChoice) return;
  toldChoice = key;
  post({ type: 'highlightSource', translationId: id, target: null, ...choice });
}

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
  const choice = store.effectiveChoice();
  chooser.render(store.chooserShape(), choice);
  list.render(state.items, choice);
  tellChoice(choice);
  postRendered('translation', 0);
}

startPanel({
  kind: 'translation',
  mount(app) {
    replaceChildren(
      app,
      panelHeader('Translations', decodingNote),
      form.element,
      chooser.element,
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
