/**
 * One layer × head grid per attention kind (the Heads panel, and each run's in Compare Runs):
 * each cell a head, its background the chosen importance measure (theme colour, stronger = more
 * important; negative values in another colour), its value and label as text. A real <table>
 * per kind, so screen readers read it with its headers; each grid is one Tab stop, and the
 * arrow keys, Home / End and PageUp / PageDown move between its cells (specs/cellNavigation.ts,
 * as over a heatmap). Styles: media/styles/heads.css (the Compare Runs panel links it too).
 */
import type { AttentionKind } from '../../src/decode/attentionMaps';
import type { HeadRow } from '../../src/shared/protocol';
import { nextCell } from '../specs/cellNavigation';
import {
  ImportanceMeasure,
  KIND_TITLES,
  MEASURES,
  importanceGrid,
  importanceMax,
} from '../specs/headRows';
import { h } from './dom';

const KINDS: readonly AttentionKind[] = ['encoderSelf', 'decoderSelf', 'encoderDecoder'];

export interface HeadGridOptions {
  /** The box's id. */
  id: string;
  /** The magnitude of full colour: one scale for several runs. Default: the largest of `rows`. */
  max?: number;
  /** Before each kind's caption: whose grid it is ("Run A · Run 3 · 2 layers: "). */
  captionPrefix?: string;
}

function cell(
  row: HeadRow | undefined,
  at: { layer: number; head: number },
  measure: ImportanceMeasure,
  max: number,
): HTMLElement {
  const where = `Layer ${at.layer + 1}, head ${at.head + 1}`;
  const pos = `${at.layer},${at.head}`;
  if (!row) {
    return h(
      'td',
      { class: 'head-cell empty-cell', 'data-pos': pos, 'aria-label': `${where}: not scored` },
      '—',
    );
  }
  const v = row[measure];
  const strength = Math.round(100 * Math.min(1, Math.abs(v) / max));
  const scores = `BLEU drop ${row.bleuDrop.toFixed(3)}, loss +${row.lossIncrease.toFixed(3)}, gradient ${row.gradient.toFixed(3)}`;
  const name = MEASURES.find((m) => m.value === measure)?.text ?? measure;
  const td = h(
    'td',
    {
      class: v < 0 ? 'head-cell negative' : 'head-cell',
      title: scores,
      'data-head': `${row.kind}:${row.layer}:${row.head}`,
      'data-pos': pos,
      'aria-label': `${where}: ${name} ${v.toFixed(3)}${row.label ? `, ${row.label}` : ''} (${scores})`,
    },
    h('span', { class: 'head-value' }, v.toFixed(3)),
    row.label ? h('span', { class: 'head-label' }, row.label) : null,
  );
  // Through the CSSOM: the panel's CSP has no 'unsafe-inline' for style attributes.
  td.style.setProperty('--strength', `${strength}%`);
  return td;
}

/** The cells as a roving-tabindex grid: one Tab stop, the keys move the focus between cells. */
function moveWithKeys(table: HTMLTableElement, layers: number, heads: number): void {
  const cells = [...table.querySelectorAll<HTMLElement>('td[data-pos]')];
  cells.forEach((td, i) => (td.tabIndex = i === 0 ? 0 : -1));
  table.addEventListener('keydown', (e) => {
    const from = (e.target as HTMLElement).closest<HTMLElement>('td[data-pos]');
    if (!from) return;
    const [layer, head] = from.dataset.pos!.split(',').map(Number);
    const shape = { queries: layers, keys: heads };
    const next = nextCell({ q: layer, k: head }, e.key, e.ctrlKey || e.metaKey, shape);
    const to = next && table.querySelector<HTMLElement>(`td[data-pos="${next.q},${next.k}"]`);
    if (!to) return;
    e.preventDefault();
    from.tabIndex = -1;
    to.tabIndex = 0;
    to.focus();
  });
}

function kindTable(
  rows: readonly HeadRow[],
  kind: AttentionKind,
  measure: ImportanceMeasure,
  o: HeadGridOptions & { max: number },
): HTMLElement | null {
  const { cells } = importanceGrid(rows, kind, measure, o.max);
  const heads = cells[0]?.length ?? 0;
  if (cells.length === 0) return null;
  const table = h(
    'table',
    { class: 'data-table head-grid', 'data-kind': kind },
    h('caption', {}, `${o.captionPrefix ?? ''}${KIND_TITLES[kind]}`),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'Layer'),
        Array.from({ length: heads }, (_, i) => h('th', { scope: 'col' }, `Head ${i + 1}`)),
      ),
    ),
    h(
      'tbody',
      {},
      cells.map((layer, l) =>
        h(
          'tr',
          {},
          h('th', { scope: 'row' }, `${l + 1}`),
          layer.map((r, head) => cell(r, { layer: l, head }, measure, o.max)),
        ),
      ),
    ),
  );
  moveWithKeys(table, cells.length, heads);
  return table;
}

/** The three grids, coloured by `measure` on one scale (`o.max`, or the largest of `rows`). */
export function headGrids(
  rows: readonly HeadRow[],
  measure: ImportanceMeasure,
  o: HeadGridOptions,
): HTMLElement {
  const max = o.max ?? importanceMax([rows], measure);
  return h(
    'div',
    { class: 'head-grids', id: o.id },
    KINDS.map((kind) => kindTable(rows, kind, measure, { ...o, max })),
  );
}
