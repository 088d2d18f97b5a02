/**
 * Every head in one sortable table: importance and statistics side by side. A sort button in
 * each column header (click or Enter/Space; `aria-sort` on the sorted column).
 */
import type { HeadRow } from '../../src/shared/protocol';
import { HEAD_COLUMNS, HeadSort, sortHeads } from '../specs/headRows';
import { h } from '../shared/dom';

const ARIA_SORT = { asc: 'ascending', desc: 'descending' } as const;

export function headTable(
  rows: readonly HeadRow[],
  sort: HeadSort,
  onSort: (column: string) => void,
): HTMLElement {
  const headers = HEAD_COLUMNS.map((c) => {
    const sorted = c.key === sort.column;
    const button = h(
      'button',
      {
        type: 'button',
        class: 'sort-button',
        'data-focus-key': `heads-sort-${c.key}`,
        title: `${c.title}. Click to sort.`,
      },
      c.header,
      h(
        'span',
        { class: 'sort-indicator', 'aria-hidden': 'true' },
        sorted ? (sort.direction === 'asc' ? '▲' : '▼') : '',
      ),
    );
    button.addEventListener('click', () => onSort(c.key));
    return h(
      'th',
      { scope: 'col', 'aria-sort': sorted ? ARIA_SORT[sort.direction] : null },
      button,
    );
  });
  const body = sortHeads(rows, sort).map((r) =>
    h(
      'tr',
      {},
      HEAD_COLUMNS.map((c, i) =>
        i === 0
          ? h('th', { scope: 'row' }, c.text(r))
          : h('td', { class: i < HEAD_COLUMNS.length - 1 ? 'num' : null }, c.text(r)),
      ),
    ),
  );
  return h(
    'div',
    { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': 'Every head' },
    h(
      'table',
      { class: 'data-table heads-table', id: 'heads-table' },
      h('thead', {}, h('tr', {}, headers)),
      h('tbody', {}, body),
    ),
  );
}
