/**
 * The runs table: one row per run in the chosen order, a checkbox per row (which runs the curves
 * and the seed table show), "Make current" and "Delete" per row, and a sort button in every
 * column header (click or Enter/Space; `aria-sort` on the sorted column). The header is built
 * once so that a sort keeps the keyboard focus on its button; the body is rebuilt per render.
 * In a narrow panel only the compact columns show (media/styles/compare.css, a container
 * query) until "Show all columns" is pressed; the table then scrolls inside its box, the run's
 * name staying in view.
 */
import type { RunRecord } from '../../src/shared/protocol';
import {
  COMPACT_COLUMNS,
  ColumnKey,
  RowContext,
  RunColumn,
  RUN_COLUMNS,
  runName,
  SortState,
} from '../specs/runRows';
import { h, replaceChildren } from '../shared/dom';
import { ARIA_SORT, sortIndicator } from '../shared/sortHeader';
import { toggleButton } from '../shared/toggleButton';

export interface RunTableHandlers {
  onSort(column: ColumnKey): void;
  onCheck(runId: string, checked: boolean): void;
  onCheckAll(checked: boolean): void;
  onMakeCurrent(runId: string): void;
  onDelete(runId: string): void;
  /** "Score" in the held-out BLEU cell of a run with a model and no score (an imported one). */
  onScoreHeldOut(runId: string): void;
  /** "Show all columns" in a narrow panel. */
  onAllColumns(show: boolean): void;
}

export interface RunTable {
  /** "Show all columns" (shown in a narrow panel only). */
  toggle: HTMLElement;
  element: HTMLElement;
  render(
    runs: readonly RunRecord[],
    sort: SortState,
    checked: Set<string>,
    ctx: RowContext,
    allColumns: boolean,
  ): void;
  /** Updates the header's "all" checkbox after a row's checkbox changed. */
  updateAllBox(checked: Set<string>): void;
}

/** The text as words that wrap only between them ("Held-out BLEU-2", "2026-11-25 10:15"). */
function words(text: string): (string | HTMLElement)[] {
  return text.split(' ').flatMap((word, i) => [i ? ' ' : '', h('span', { class: 'nowrap' }, word)]);
}

/** The header row's cells: a sort button per column (the header is built once, see above). */
function sortHeaders(handlers: RunTableHandlers): HTMLTableCellElement[] {
  return RUN_COLUMNS.map((c) => {
    const button = h(
      'button',
      {
        type: 'button',
        class: 'sort-button',
        'data-column': c.key,
        'data-focus-key': `sort-${c.key}`,
        title: `${c.title}. Click to sort.`,
      },
      h('span', { class: 'sort-label' }, words(c.label)),
      h('span', { class: 'sort-indicator', 'aria-hidden': 'true' }),
    );
    button.addEventListener('click', () => handlers.onSort(c.key));
    return h('th', { scope: 'col', class: c.numeric ? 'num' : null, ...columnAttrs(c) }, button);
  });
}

/** `aria-sort` and the ▲ / ▼ on the sorted column. */
function showSort(headers: HTMLTableCellElement[], sort: SortState): void {
  headers.forEach((th, i) => {
    const sorted = RUN_COLUMNS[i].key === sort.column;
    if (sorted) th.setAttribute('aria-sort', ARIA_SORT[sort.direction]);
    else th.removeAttribute('aria-sort');
    const indicator = th.querySelector('.sort-indicator');
    if (indicator) indicator.textContent = sortIndicator(sorted, sort);
  });
}

export function createRunTable(handlers: RunTableHandlers): RunTable {
  const allBox = checkAllBox(handlers);
  const headers = sortHeaders(handlers);
  const tbody = h('tbody', {});
  const table = tableElement(allBox, headers, tbody);
  const updateAllBox = (checked: Set<string>): void => {
    const ids = [...tbody.querySelectorAll<HTMLInputElement>('input.run-check')].map(
      (b) => b.dataset.runId ?? '',
    );
    const n = ids.filter((id) => checked.has(id)).length;
    allBox.checked = ids.length > 0 && n === ids.length;
    allBox.indeterminate = n > 0 && n < ids.length;
  };
  const allColumns = toggleButton({
    id: 'all-columns',
    text: 'Show all columns',
    title: 'The panel is narrow: every column, scrolling sideways inside the table',
    onToggle: handlers.onAllColumns,
  });
  allColumns.element.classList.add('all-columns-toggle');
  return {
    toggle: allColumns.element,
    element: h(
      'div',
      { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': 'Runs' },
      table,
    ),
    render(runs, sort, checked, ctx, all) {
      const focusKey = (document.activeElement as HTMLElement | null)?.dataset?.focusKey;
      allColumns.render(all);
      table.classList.toggle('all-columns', all);
      showSort(headers, sort);
      replaceChildren(
        tbody,
        runs.map((run) => row(run, checked.has(run.id), ctx, handlers)),
      );
      updateAllBox(checked);
      if (focusKey) refocus(table, focusKey);
    },
    updateAllBox,
  };
}

/** The header's "all" checkbox: checks or unchecks every run. */
function checkAllBox(handlers: RunTableHandlers): HTMLInputElement {
  const allBox = h('input', {
    type: 'checkbox',
    id: 'check-all',
    'aria-label': 'Show all runs in the curves and the seed table',
    'data-focus-key': 'check-all',
  });
  allBox.addEventListener('change', () => handlers.onCheckAll(allBox.checked));
  return allBox;
}

/** The table: a header row (the "all" checkbox, the sort buttons, Actions) over `tbody`. */
function tableElement(
  allBox: HTMLInputElement,
  headers: HTMLTableCellElement[],
  tbody: HTMLElement,
): HTMLTableElement {
  const actions = h('span', { class: 'visually-hidden' }, 'Actions');
  return h(
    'table',
    { class: 'data-table runs-table', id: 'runs-table' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col', class: 'check-cell' }, allBox),
        headers,
        h('th', { scope: 'col', class: 'actions' }, actions),
      ),
    ),
    tbody,
  );
}

/** Focuses the rebuilt element that had the focus before a render (same data-focus-key). */
function refocus(table: HTMLElement, focusKey: string): void {
  table.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(focusKey)}"]`)?.focus();
}

/** A run's row: its checkbox, a cell per column, Make current and Delete. */
function row(
  run: RunRecord,
  checked: boolean,
  ctx: RowContext,
  handlers: RunTableHandlers,
): HTMLTableRowElement {
  const name = runName(run);
  const isCurrent = run.id === ctx.currentRunId;
  const box = h('input', {
    type: 'checkbox',
    class: 'run-check',
    checked,
    'data-run-id': run.id,
    'data-focus-key': `check-${run.id}`,
    'aria-label': `Show ${name} in the curves and the seed table`,
  });
  box.addEventListener('change', () => handlers.onCheck(run.id, box.checked));
  return h(
    'tr',
    { 'data-run-id': run.id, class: isCurrent ? 'current' : null },
    h('td', { class: 'check-cell' }, box),
    RUN_COLUMNS.map((c) =>
      c.key === 'bleu2' && !run.heldOut && run.hasCheckpoint
        ? scoreCell(c, run, handlers)
        : cell(c, run, ctx, isCurrent),
    ),
    h('td', { class: 'actions' }, rowActions(run, name, isCurrent, handlers)),
  );
}

function cell(c: RunColumn, run: RunRecord, ctx: RowContext, isCurrent: boolean): HTMLElement {
  const title = c.cellTitle?.(run);
  if (c.key === 'run') {
    return h(
      'th',
      { scope: 'row', class: 'run-name', 'data-compact': true },
      runName(run),
      isCurrent ? h('span', { class: 'badge current-badge' }, 'current') : null,
    );
  }
  if (c.key === 'status') {
    return h(
      'td',
      { title, ...columnAttrs(c) },
      h('span', { class: 'badge', 'data-status': run.status }, c.text(run, ctx)),
    );
  }
  return h(
    'td',
    { class: c.numeric ? 'num' : null, title, ...columnAttrs(c) },
    words(c.text(run, ctx)),
  );
}

/** No held-out score yet (an imported run): — and a button that scores it (Score Held-out BLEU). */
function scoreCell(c: RunColumn, run: RunRecord, handlers: RunTableHandlers): HTMLElement {
  const button = h(
    'button',
    {
      type: 'button',
      class: 'secondary small score-held-out',
      'data-focus-key': `held-out-${run.id}`,
      title: 'Score Held-out BLEU: translate the held-out pairs with this run’s model',
      'aria-label': `Score the held-out BLEU of ${runName(run)}`,
    },
    'Score',
  );
  button.addEventListener('click', () => handlers.onScoreHeldOut(run.id));
  return h('td', { class: 'num', title: c.cellTitle?.(run), ...columnAttrs(c) }, '— ', button);
}

/** `data-column`, and `data-compact` on the columns a narrow panel keeps. */
function columnAttrs(c: RunColumn): Record<string, string | boolean> {
  return { 'data-column': c.key, 'data-compact': COMPACT_COLUMNS.includes(c.key) };
}

/** A row action's words, and the glyph a narrow panel shows instead (its name is the aria-label). */
function actionLabel(text: string, glyph: string): HTMLElement[] {
  return [
    h('span', { class: 'action-text' }, text),
    h('span', { class: 'action-glyph', 'aria-hidden': 'true' }, glyph),
  ];
}

function rowActions(
  run: RunRecord,
  name: string,
  isCurrent: boolean,
  handlers: RunTableHandlers,
): HTMLElement {
  const makeCurrent = h(
    'button',
    {
      type: 'button',
      class: 'secondary small make-current',
      'data-focus-key': `current-${run.id}`,
      disabled: isCurrent || !run.hasCheckpoint,
      title: isCurrent
        ? 'This run is the current model'
        : run.hasCheckpoint
          ? 'Translate and show attention with this run'
          : `No saved model: the run ${run.status === 'finished' ? 'has no checkpoint' : run.status}`,
      'aria-label': `Make ${name} the current model`,
    },
    ...actionLabel('Make current', '★'),
  );
  makeCurrent.addEventListener('click', () => handlers.onMakeCurrent(run.id));
  const remove = h(
    'button',
    {
      type: 'button',
      class: 'secondary small delete-run',
      'data-focus-key': `delete-${run.id}`,
      title: 'Delete this run and its checkpoint (asks first)',
      'aria-label': `Delete ${name}`,
    },
    ...actionLabel('Delete', '✕'),
  );
  remove.addEventListener('click', () => handlers.onDelete(run.id));
  return h('div', { class: 'row-actions' }, makeCurrent, remove);
}
