/**
 * The per-head statistics of the sentence shown (issue 13 item 4), as one sortable table: a row
 * per head (kind, layer, head), its entropy, spread, shares (same, previous, next, <eos>, <bos>,
 * punctuation) and label on these maps, and under each value, when the run's heads were scored,
 * the head's average over the held-out pairs. A sort button in each column header (click, Enter
 * or Space; `aria-sort` on the sorted column), a kind filter, and — while heads are off — which
 * translation the numbers are of. Styles: media/styles/attention.css (.head-stats).
 */
import type { StatColumn, StatRow, StatsKind } from '../specs/headStatRows';
import { LABEL_COLUMN, STAT_COLUMNS, STATS_KINDS, statRowName } from '../specs/headStatRows';
import type { HeadSort } from '../specs/headRows';
import { h, replaceChildren } from '../shared/dom';
import { section, toolbar, toolbarLabel } from '../shared/layout';
import { sortHeader } from '../shared/sortHeader';
import { SegmentOption, segmented } from '../shared/segmented';
import type { StatsOf } from './explore';

export interface StatsTableProps {
  /** Filtered and sorted. */
  rows: StatRow[];
  sort: HeadSort;
  kind: StatsKind;
  /** What the numbers are of, for people ("“Go.” → “va !”"). */
  subject: string;
  /** Which translation; null: there is no masked one to choose. */
  of: StatsOf | null;
  /** The held-out averages under the values, and whose; null: not scored. */
  heldOut: { source: string; count: number } | null;
}

export interface StatsTableHandlers {
  onSort(column: string): void;
  onKind(kind: StatsKind): void;
  onOf(of: StatsOf): void;
  /** Score Head Importance (offered while there are no held-out averages). */
  onScore(): void;
}

/** While heads are off: the numbers of the translation with every head on, or without them. */
const OF_OPTIONS: SegmentOption<StatsOf>[] = [
  { value: 'original', text: 'Every head on', id: 'stats-of-original' },
  { value: 'masked', text: 'Those heads off', id: 'stats-of-masked' },
];
const COLUMNS: readonly StatColumn[] = [...STAT_COLUMNS, LABEL_COLUMN];

/** This sentence's value, and under it the held-out average (said as such to screen readers). */
function cell(c: StatColumn, row: StatRow): HTMLElement {
  const held = row.heldOut;
  return h(
    'td',
    { class: c.numeric ? 'num' : 'stat-label', 'data-column': c.key },
    h('span', { class: 'stat-now' }, c.text(row)),
    held
      ? h(
          'span',
          { class: 'stat-held-out' },
          h('span', { class: 'visually-hidden' }, 'held-out average '),
          c.text(held),
        )
      : null,
  );
}

function table(p: StatsTableProps, onSort: StatsTableHandlers['onSort']): HTMLElement {
  const head = {
    key: 'head',
    header: 'Head',
    title: 'Kind, layer and head (1-based)',
    numeric: false,
  };
  const body = p.rows.map((row) =>
    h(
      'tr',
      { 'data-kind': row.kind, 'data-layer': row.layer, 'data-head': row.head },
      h('th', { scope: 'row' }, statRowName(row)),
      COLUMNS.map((c) => cell(c, row)),
    ),
  );
  const caption =
    `Per-head statistics of ${p.subject}: ${p.rows.length} heads` +
    (p.heldOut ? `; under each value, its average over ${p.heldOut.count} held-out pairs` : '');
  return h(
    'div',
    { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': 'Per-head statistics' },
    h(
      'table',
      { class: 'data-table stats-table', id: 'stats-table' },
      h('caption', { class: 'visually-hidden' }, caption),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          [head, ...COLUMNS].map((c) =>
            sortHeader(c, p.sort, onSort, { prefix: 'stats-sort', id: true }),
          ),
        ),
      ),
      h('tbody', {}, body),
    ),
  );
}

/** Where the held-out averages come from, or how to get them. */
function heldOutNote(p: StatsTableProps, score: HTMLElement): (string | HTMLElement)[] {
  if (p.heldOut) {
    return [
      `Under each value (smaller): the head’s average over ${p.heldOut.count} held-out pairs ` +
        `(${p.heldOut.source}, from Score Head Importance).`,
    ];
  }
  return ['Score the heads to see each one’s average over held-out pairs under these. ', score];
}

export function createStatsTable(handlers: StatsTableHandlers) {
  const kinds = segmented<StatsKind>({
    label: 'Which heads the table lists',
    options: STATS_KINDS.map((k) => ({ ...k, id: `stats-kind-${k.value}` })),
    onSelect: handlers.onKind,
  });
  const of = segmented<StatsOf>({
    label: 'Which translation the statistics are of',
    options: OF_OPTIONS,
    onSelect: handlers.onOf,
  });
  const subject = h('p', { class: 'caption muted', id: 'stats-subject' });
  const note = h('p', { class: 'muted', id: 'stats-note' });
  const score = h(
    'button',
    { type: 'button', id: 'stats-score', class: 'secondary' },
    'Score heads',
  );
  score.addEventListener('click', handlers.onScore);
  const box = h('div', { id: 'stats-table-box' });
  const element = section(
    { id: 'stats', title: 'Per-head statistics', className: 'head-stats', attrs: { id: 'stats' } },
    subject,
    toolbar(toolbarLabel('Heads:'), kinds.element, of.element),
    note,
    box,
  );
  return {
    element,
    render(p: StatsTableProps | null): void {
      element.hidden = p === null;
      if (!p) return replaceChildren(box);
      subject.textContent = `Of ${p.subject}. Shares are means over query rows; hover a header for its meaning.`;
      kinds.render(p.kind);
      of.element.hidden = p.of === null;
      of.render(p.of);
      replaceChildren(note, heldOutNote(p, score));
      // The table is drawn anew: the sort button that had the focus gets it back.
      const focused = (document.activeElement as HTMLElement | null)?.dataset?.focusKey;
      replaceChildren(box, table(p, handlers.onSort));
      if (focused) box.querySelector<HTMLElement>(`[data-focus-key="${focused}"]`)?.focus();
    },
  };
}
