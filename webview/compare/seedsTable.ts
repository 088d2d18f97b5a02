/**
 * The seed sentences side by side: a row per sentence (English and the reference), a column per
 * checked run with its translation and BLEU. A colour swatch ties each column to its curve.
 */
import type { ScoredSentence } from '../../src/shared/protocol';
import type { SeedComparison } from '../specs/runSeeds';
import { NONE } from '../specs/runRows';
import { h } from '../shared/dom';
import { formatBleu } from '../shared/format';
import { emptyState } from '../shared/layout';
import { withUnkMarked } from '../shared/unknownWords';

function swatch(color: string | undefined): HTMLElement | null {
  if (!color) return null;
  const el = h('span', { class: 'run-swatch', 'aria-hidden': 'true' });
  el.style.background = color; // CSSOM, not a style attribute: allowed by the CSP
  return el;
}

function cell(s: ScoredSentence | null): HTMLElement {
  if (!s) return h('td', { class: 'muted' }, NONE);
  return h(
    'td',
    {},
    h('span', { class: 'seed-translation', lang: 'fr' }, withUnkMarked(s.translation || '(empty)')),
    s.bleu !== undefined
      ? h(
          'span',
          { class: 'seed-bleu muted', title: "the book's bleu(pred, label, k=2)" },
          `BLEU ${formatBleu(s.bleu)}`,
        )
      : null,
  );
}

export function seedsTable(data: SeedComparison, colors: Map<string, string>): HTMLElement {
  if (data.columns.length === 0) {
    return emptyState('Check runs in the table to compare their translations.');
  }
  if (data.rows.length === 0) {
    return emptyState('The checked runs have no seed translations.');
  }
  return h(
    'div',
    { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': 'Seed translations' },
    h(
      'table',
      { class: 'data-table seeds-compare', id: 'seeds-table' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'English'),
          h('th', { scope: 'col' }, 'Reference'),
          data.columns.map((c) =>
            h('th', { scope: 'col', 'data-run-id': c.runId }, swatch(colors.get(c.runId)), c.label),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        data.rows.map((r) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row', class: 'seed-source' }, r.source),
            h('td', { lang: 'fr', class: 'muted' }, r.reference ?? NONE),
            r.cells.map(cell),
          ),
        ),
      ),
    ),
  );
}
