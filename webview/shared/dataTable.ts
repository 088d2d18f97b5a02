/**
 * A chart's numbers as an HTML table (specs/dataTables.ts makes the model): a <caption> that
 * names what it shows, `<th scope="col">` over the columns and `<th scope="row">` before each
 * row, in a box that scrolls sideways by itself (focusable, so the keyboard scrolls it too).
 * Styles: media/styles/base.css (.data-table, .table-scroll).
 */
import type { TableModel, TableRow } from '../specs/dataTables';
import { h } from './dom';

/** One body row: its header and its cells. */
export function tableRow(row: TableRow, model: Pick<TableModel, 'columns'>): HTMLTableRowElement {
  return h(
    'tr',
    {},
    h('th', { scope: 'row' }, row.header),
    row.cells.map((text, i) => h('td', { class: model.columns[i]?.numeric ? 'num' : null }, text)),
  );
}

/** The table in its scrolling box; `className` goes on the <table>. */
export function dataTable(model: TableModel, className: string): HTMLElement {
  const table = h(
    'table',
    { class: `data-table chart-table ${className}` },
    h('caption', {}, model.caption),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, model.corner),
        model.columns.map((c) =>
          h('th', { scope: 'col', class: c.numeric ? 'num' : null }, c.label),
        ),
      ),
    ),
    h(
      'tbody',
      {},
      model.rows.map((r) => tableRow(r, model)),
    ),
  );
  return h(
    'div',
    { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': model.caption },
    table,
  );
}
