/**
 * A sortable table's column header: a button (click, or Enter/Space) that sorts by the column,
 * the ▲ / ▼ on the sorted one and `aria-sort` for screen readers. Shared by the Heads panel's
 * table, the attention panel's statistics table and Compare Runs' run table.
 */
import { h } from './dom';

export const ARIA_SORT = { asc: 'ascending', desc: 'descending' } as const;

export interface ColumnSort {
  column: string;
  direction: keyof typeof ARIA_SORT;
}

/** The ▲ / ▼ of a column: empty unless it is the sorted one. */
export function sortIndicator(sorted: boolean, sort: ColumnSort): string {
  return sorted ? (sort.direction === 'asc' ? '▲' : '▼') : '';
}

/**
 * The `<th>` of column `c`: its button is `data-focus-key` `${prefix}-${key}` (so a redraw gives
 * the focus back), and with `o.id` also has that id; `c.numeric` right-aligns it (`num`).
 */
export function sortHeader(
  c: { key: string; header: string; title: string; numeric?: boolean },
  sort: ColumnSort,
  onSort: (column: string) => void,
  o: { prefix: string; id?: boolean },
): HTMLElement {
  const sorted = sort.column === c.key;
  const focusKey = `${o.prefix}-${c.key}`;
  const button = h(
    'button',
    {
      type: 'button',
      class: 'sort-button',
      id: o.id ? focusKey : null,
      'data-focus-key': focusKey,
      title: `${c.title}. Click to sort.`,
    },
    c.header,
    h('span', { class: 'sort-indicator', 'aria-hidden': 'true' }, sortIndicator(sorted, sort)),
  );
  button.addEventListener('click', () => onSort(c.key));
  return h(
    'th',
    {
      scope: 'col',
      class: c.numeric ? 'num' : null,
      'aria-sort': sorted ? ARIA_SORT[sort.direction] : null,
    },
    button,
  );
}
