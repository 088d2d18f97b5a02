/**
 * Heads panel (issue 13 items 3 and 4): the current model's heads scored over held-out pairs —
 * a layer × head grid per kind coloured by the chosen importance measure, every head in a
 * sortable table with its attention statistics and label, and the pruning curve — with a
 * "Score heads" button, progress and Cancel. The report comes from the host (headsState).
 */
import type { HeadsStateMessage } from '../../src/shared/protocol';
import { MEASURES, nextHeadSort } from '../specs/headRows';
import { pruningCurveSpec } from '../specs/pruningCurve';
import { h, replaceChildren } from '../shared/dom';
import { headGrids } from '../shared/headGrids';
import { emptyState, panelHeader, section, toolbar, toolbarLabel } from '../shared/layout';
import { postRendered, startPanel } from '../shared/panel';
import { Chart, renderChart } from '../shared/render';
import { segmented } from '../shared/segmented';
import { chartTheme } from '../shared/theme';
import { enqueue, post } from '../shared/vscodeApi';
import { headTable } from './headTable';
import * as store from './state';
import { state } from './state';

const note = h('p', { class: 'muted', id: 'heads-note' });
const scoreButton = h(
  'button',
  { type: 'button', id: 'score-heads', class: 'primary' },
  'Score heads',
);
const cancelButton = h('button', { type: 'button', id: 'cancel-heads', hidden: true }, 'Cancel');
const status = h('p', { id: 'heads-status', role: 'status', 'aria-live': 'polite' });
scoreButton.addEventListener('click', () => post({ type: 'scoreHeadImportance' }));
cancelButton.addEventListener('click', () => post({ type: 'cancelHeadImportance' }));

const measure = segmented({
  label: 'Colour the grids by',
  options: MEASURES.map((m) => ({ value: m.value, text: m.text, id: `measure-${m.value}` })),
  onSelect: (value) => store.update({ measure: value }) && void enqueue(render, 'measure'),
});
const grids = h('div', {});
const table = h('div', {});
const chartBox = h('div', { class: 'chart loss-chart', id: 'pruning-chart' });
const empty = emptyState(
  'No heads scored yet. "Score heads" masks each head of the current model in turn over the held-out pairs (about 30 s for the book’s model).',
  { id: 'heads-empty' },
);
const body = h(
  'div',
  { id: 'heads-body' },
  section(
    { id: 'heads-grids', title: 'Importance per head' },
    toolbar(toolbarLabel('Colour by:'), measure.element),
    grids,
  ),
  section({ id: 'heads-pruning', title: 'Pruning curve' }, chartBox),
  section({ id: 'heads-table-section', title: 'Every head' }, table),
);
let chart: Chart | null = null;

function describe(data: HeadsStateMessage): string {
  const r = data.report;
  if (!r) return '';
  return `${data.source ?? 'The model'}: ${r.heads.length} heads on ${r.count} held-out pairs (baseline BLEU-2 ${r.baseline.bleu.toFixed(3)}, loss ${r.baseline.loss.toFixed(3)}), scored in ${r.seconds.toFixed(1)} s.`;
}

async function render(): Promise<void> {
  const data = state.data;
  const p = data?.progress ?? null;
  scoreButton.disabled = p !== null;
  cancelButton.hidden = p === null;
  status.textContent = p ? `Scoring heads… ${p.done}/${p.total} (${p.phase})` : '';
  const report = data?.report ?? null;
  note.textContent = data ? describe(data) : '';
  empty.hidden = report !== null;
  body.hidden = report === null;
  chart?.finalize();
  chart = null;
  if (!report) return postRendered('heads', 0);
  measure.render(state.measure);
  replaceChildren(grids, headGrids(report.heads, state.measure, { id: 'head-grids' }));
  replaceChildren(
    table,
    headTable(report.heads, state.sort, (column) => {
      store.update({ sort: nextHeadSort(state.sort, column) });
      void enqueue(render, 'sorting the heads').then(() =>
        table.querySelector<HTMLElement>(`[data-focus-key="heads-sort-${column}"]`)?.focus(),
      );
    }),
  );
  chart = await renderChart(chartBox, pruningCurveSpec(report, chartTheme()));
  postRendered('heads', 1);
}

startPanel({
  kind: 'heads',
  mount(app) {
    replaceChildren(
      app,
      panelHeader('Attention heads', note),
      toolbar(scoreButton, cancelButton),
      status,
      empty,
      body,
    );
  },
  restore: store.restore,
  render,
  onMessage(m) {
    if (m.type !== 'headsState') return;
    store.update({ data: m });
    return render(); // already in the render queue (onHostMessage)
  },
  redrawForTheme: () => Boolean(state.data?.report),
});
