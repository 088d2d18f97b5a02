/**
 * What training produced, as tables: the seed sentences' translations with BLEU, the held-out
 * scores, and the hyperparameters of the run. Each shows what to expect while it is empty.
 */
import { LIMITS } from '../../src/config/hyperparameters';
import type { Hyperparameters } from '../../src/config/hyperparameters';
import type { HeldOutScore, ScoredSentence } from '../../src/shared/protocol';
import type { ResultNotes } from '../specs/trainingNotes';
import { h } from '../shared/dom';
import { formatBleu, formatInteger } from '../shared/format';
import { emptyState, stat } from '../shared/layout';
import { unknownNote, withUnkMarked, withUnknownWordsMarked } from '../shared/unknownWords';

/** `notes`: what to say while there are none (specs/trainingNotes.ts). */
export function seedsTable(seeds: readonly ScoredSentence[], notes: ResultNotes): HTMLElement {
  if (seeds.length === 0) return emptyState(notes.seeds, { id: 'seeds-note' });
  const head = (text: string, num = false) =>
    h('th', { scope: 'col', class: num ? 'num' : null }, text);
  return h(
    'table',
    { class: 'data-table seeds' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        head('English'),
        head('Model translation'),
        head('Reference'),
        head('BLEU', true),
      ),
    ),
    h(
      'tbody',
      {},
      seeds.map((s) =>
        h(
          'tr',
          {},
          h(
            'td',
            {},
            withUnknownWordsMarked(s.source, s.unknownTokens),
            unknownNote(s.unknownTokens),
          ),
          h('td', { lang: 'fr' }, withUnkMarked(s.translation)),
          h('td', { lang: 'fr', class: 'muted' }, s.reference ?? '–'),
          h('td', { class: 'num' }, formatBleu(s.bleu)),
        ),
      ),
    ),
  );
}

export function heldOutScores(ho: HeldOutScore | null, notes: ResultNotes): HTMLElement {
  if (!ho) return emptyState(notes.heldOut, { id: 'held-out-note' });
  return h(
    'dl',
    { class: 'stats' },
    stat('Pairs', formatInteger(ho.count), 'held-out-count'),
    stat('Mean BLEU-2', formatBleu(ho.meanBleu2), 'held-out-bleu2'),
    stat('Corpus BLEU-4', formatBleu(ho.corpusBleu4), 'held-out-bleu4'),
  );
}

export function hyperparameterTable(hp: Hyperparameters | null): HTMLElement {
  if (!hp) return emptyState('Not started.');
  return h(
    'table',
    { class: 'data-table hyper' },
    h(
      'tbody',
      {},
      (Object.keys(LIMITS) as (keyof Hyperparameters)[]).map((k) =>
        h(
          'tr',
          {},
          h('th', { scope: 'row' }, h('code', {}, k)),
          h('td', { class: 'num' }, String(hp[k])),
          h('td', { class: 'muted' }, LIMITS[k].description),
        ),
      ),
    ),
  );
}
