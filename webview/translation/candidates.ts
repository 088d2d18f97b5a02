/** Beam search's ranked candidates under a translation: a small table, the chosen one first. */
import type { TranslationCandidate } from '../../src/shared/protocol';
import { h } from '../shared/dom';
import { formatBleu } from '../shared/format';
import { withUnkMarked } from '../shared/unknownWords';
import type { ListItem } from './state';

function formatLog(x: number): string {
  return Number.isFinite(x) ? x.toFixed(3).replace('-', '−') : '–';
}

export function candidatesView(item: ListItem, candidates: TranslationCandidate[]): HTMLElement {
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
