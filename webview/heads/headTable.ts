/**
 * Every head in one sortable table: importance and statistics side by side. A sort button in
 * each column header (click or Enter/Space; `aria-sort` on the sorted column).
 */
import type { HeadRow } from '../../src/shared/protocol';
import { HEAD_COLUMNS, HeadSort, sortHeads } from '../specs/headRows';
import { h } from '../shared/dom';
import { sortHeader } from '../shared/sortHeader';

export function headTable(
  rows: readonly HeadRow[],
  sort: HeadSort,
  onSort: (column: string) => void,
): HTMLElement {
  const headers = HEAD_COLUMNS.map((c) => sortHeader(c, sort, onSort, { prefix: 'heads-sort' }));
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
