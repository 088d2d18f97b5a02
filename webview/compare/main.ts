/**
 * Compare Runs panel: every training run the history keeps, in a sortable table (Make current,
 * Delete, CSV export, Open Model…), the checked runs' loss curves overlaid, their seed
 * translations side by side, the attention of two runs for one sentence, and the head
 * importance of the same two runs. After each render it posts `rendered` with the charts on
 * screen: the loss-curve chart (0 or 1), the heatmaps shown and the pruning chart (0 or 1).
 */
import type { RunRecord } from '../../src/shared/protocol';
import { runCurves, runPalette } from '../specs/runCurves';
import { formatSize, runName, sortRuns } from '../specs/runRows';
import { seedComparison } from '../specs/runSeeds';
import { themeKindFromClasses } from '../specs/theme';
import { h, replaceChildren } from '../shared/dom';
import { showExportResult } from '../shared/exportToolbar';
import { emptyState, panelHeader, section, toolbar } from '../shared/layout';
import { postRendered, startPanel } from '../shared/panel';
import { chartTheme } from '../shared/theme';
import { enqueue, post, reportError } from '../shared/vscodeApi';
import { createAttentionCompare } from './attentionCompare';
import { createCompareForm } from './compareForm';
import { createCurvesChart } from './curvesChart';
import { chartExport, csvExport, openModelButton } from './toolbars';
import { createHeadsCompare, HeadsSide } from './headsCompare';
import { compareResultProblem } from './guards';
import { createRunTable } from './runTable';
import { seedsTable } from './seedsTable';
import * as store from './state';
import { checkedIds, state } from './state';

// ------------------------------------------------------------------ what is shown

function ctx(): { currentRunId: string | null } {
  return { currentRunId: state.data?.currentRunId ?? null };
}

/** All runs in the table's order. */
function sortedRuns(): RunRecord[] {
  return sortRuns(state.data?.runs ?? [], state.sort, ctx());
}

/** The checked runs, in the table's order. */
function checkedRuns(): RunRecord[] {
  const ids = checkedIds();
  return sortedRuns().filter((r) => ids.has(r.id));
}

function palette(): string[] {
  const style = getComputedStyle(document.documentElement);
  return runPalette(
    (name) => style.getPropertyValue(name),
    themeKindFromClasses([...document.body.classList]),
  );
}

function curves() {
  return runCurves(checkedRuns(), state.data?.runs ?? [], palette());
}

// ------------------------------------------------------------------ the parts

const table = createRunTable({
  onSort(column) {
    store.sortBy(column);
    void enqueue(async () => {
      renderTable();
      await renderSelection();
      rendered();
    }, 'sorting the runs');
  },
  onCheck(runId, checked) {
    setChecked(checked ? [...checkedIds(), runId] : [...checkedIds()].filter((id) => id !== runId));
  },
  onCheckAll(checked) {
    setChecked(checked ? (state.data?.runs ?? []).map((r) => r.id) : [], true);
  },
  onMakeCurrent: (runId) => post({ type: 'makeRunCurrent', runId }),
  onDelete: (runId) => post({ type: 'deleteRun', runId }),
  onScoreHeldOut: (runId) => post({ type: 'runCommand', command: 'scoreHeldOut', runId }),
  onAllColumns(allColumns) {
    if (store.update({ allColumns })) void enqueue(renderTable, 'showing all columns');
  },
});

const chart = createCurvesChart((curvesTable) => {
  store.update({ curvesTable });
  void enqueue(async () => {
    await renderSelection();
    rendered();
  }, 'showing the curves as a table or a chart');
});

const form = createCompareForm({
  onPick(side, runId) {
    store.setPick(side, runId);
    redrawHeads(true, 'picking a run');
  },
  onSentence: (sentence) => store.update({ sentence }),
  onCompare(runIds, sentence) {
    const names = runIds
      .map((id) => state.data?.runs.find((r) => r.id === id))
      .map((r) => (r ? runName(r) : 'the run'));
    form.setStatus(`Translating with ${names[0]} and ${names[1]}…`, 'busy');
    post({ type: 'compareAttention', runIds, sentence });
  },
});

/** `draw` again, in the render queue, after a change of the state (`changed` false: none). */
const redrawWith =
  (draw: () => Promise<void>) =>
  (changed: boolean, context: string): void => {
    if (!changed) return;
    void enqueue(async () => {
      await draw();
      rendered();
    }, context);
  };

/** The attention comparison, and the head importance of the two picked runs. */
const redrawAttention = redrawWith(() => renderAttention());
const redrawHeads = redrawWith(() => renderHeads());

const attention = createAttentionCompare({
  onKind: (kind) => redrawAttention(store.update({ kind }), 'switching the attention kind'),
  onTable: (attentionTable) =>
    redrawAttention(store.update({ attentionTable }), 'showing the heatmaps as tables or charts'),
});

const heads = createHeadsCompare({
  onMeasure: (headMeasure) => redrawHeads(store.update({ headMeasure }), 'colouring the heads'),
  onTable: (headsTable) => redrawHeads(store.update({ headsTable }), 'showing heads as a table'),
  onScore: (runId) => post({ type: 'runCommand', command: 'scoreHeadImportance', runId }),
});

/** Run A and run B as picked, each in its colour of the loss curves. */
function pickedSides(): HeadsSide[] {
  const runs = state.data?.runs ?? [];
  const picked = state.picks.map((id) => runs.find((r) => r.id === id) ?? null);
  const colors = runCurves(
    picked.filter((r): r is RunRecord => r !== null),
    runs,
    palette(),
  ).map((c) => c.color);
  let next = 0;
  return picked.map((run, i) => ({
    letter: i === 0 ? 'A' : 'B',
    run,
    color: run ? colors[next++] : '',
  }));
}

/** Checks exactly `ids`; `redrawTable` when the rows' boxes must follow (check all / none). */
function setChecked(ids: string[], redrawTable = false): void {
  if (!store.setChecked(ids)) return;
  table.updateAllBox(checkedIds());
  void enqueue(async () => {
    if (redrawTable) renderTable();
    await renderSelection();
    rendered();
  }, 'showing the checked runs');
}

// ------------------------------------------------------------------ skeleton

const summary = h('p', { class: 'muted', id: 'runs-summary' });
const loading = emptyState('Loading the run history…', { id: 'runs-loading' });
const emptyEl = emptyState(
  'No runs yet. Run “Transformer: Train Transformer” (F1) to train one, or open a model the ' +
    'book’s PyTorch code saved: every run is kept here, with its loss curve, translations and ' +
    'model, so that you can compare them.',
  {
    id: 'runs-empty',
    hidden: true,
    actions: [
      {
        id: 'empty-train',
        text: 'Train Transformer',
        onClick: () => post({ type: 'runCommand', command: 'train' }),
      },
      {
        id: 'empty-open-model',
        text: 'Open Model…',
        onClick: () => post({ type: 'runCommand', command: 'openModel' }),
      },
    ],
  },
);
const seedsEl = h('div', { id: 'seeds' });
const content = h('div', { id: 'runs-content', hidden: true });

const csv = csvExport(sortedRuns, ctx);
const chartExports = chartExport(chart);
const openModel = openModelButton();

function mount(app: HTMLElement): void {
  replaceChildren(
    content,
    section(
      { id: 'runs', title: 'Runs', className: 'runs-section' },
      toolbar(table.toggle, csv.element, openModel),
      table.element,
    ),
    section(
      { id: 'curves', title: 'Loss per token' },
      toolbar(chart.toggle, chartExports.element),
      chart.elements,
    ),
    section({ id: 'seeds', title: 'Seed sentences' }, seedsEl),
    section(
      { id: 'attention', title: 'Attention of two runs' },
      h(
        'p',
        { class: 'caption muted' },
        'Both runs translate the sentence; compare what each head attends to.',
      ),
      form.element,
      attention.element,
    ),
    section(
      { id: 'head-importance', title: 'Head importance of two runs' },
      h(
        'p',
        { class: 'caption muted' },
        'Run A and run B as picked above: each head’s score over its run’s held-out pairs, on one colour scale.',
      ),
      heads.element,
    ),
  );
  replaceChildren(app, panelHeader('Compare runs', summary), loading, emptyEl, content);
  new ResizeObserver(() => {
    if (attention.needsRelayout()) {
      void enqueue(async () => {
        await renderAttention();
        rendered();
      }, 'resizing');
    }
  }).observe(content);
}

// ------------------------------------------------------------------ rendering

function rendered(): void {
  postRendered('compare', chart.count() + attention.count() + heads.count());
}

function renderSummary(): void {
  const d = state.data;
  if (!d) return;
  const current = d.runs.find((r) => r.id === d.currentRunId);
  const n = d.runs.length;
  replaceChildren(
    summary,
    `${n} run${n === 1 ? '' : 's'}`,
    current ? ` · current model: ${runName(current)}` : '',
    ' · ',
    h(
      'span',
      {
        id: 'history-size',
        title:
          'When the history grows past its limit, the oldest runs are deleted (never the current one).',
      },
      `history ${formatSize(d.totalBytes)} of ${formatSize(d.limitBytes)}`,
    ),
  );
}

function renderTable(): void {
  table.render(sortedRuns(), state.sort, checkedIds(), ctx(), state.allColumns);
}

/** The parts that show the checked runs: the curves and the seed translations. */
async function renderSelection(): Promise<void> {
  const shown = curves();
  replaceChildren(
    seedsEl,
    seedsTable(seedComparison(checkedRuns()), new Map(shown.map((c) => [c.runId, c.color]))),
  );
  await chart.render(shown, chartTheme(), state.curvesTable);
  chartExports.setEnabled(chart.count() > 0);
}

async function renderHeads(): Promise<void> {
  await heads.render(pickedSides(), state.headMeasure, state.headsTable, chartTheme());
}

async function renderAttention(): Promise<void> {
  await attention.render(state.result, state.kind, chartTheme(), state.attentionTable);
}

async function renderAll(): Promise<void> {
  const d = state.data;
  if (!d) return;
  loading.hidden = true;
  renderSummary();
  const empty = d.runs.length === 0;
  emptyEl.hidden = !empty;
  content.hidden = empty;
  if (empty) {
    await chart.render([], chartTheme(), state.curvesTable);
    await attention.render(null, state.kind, chartTheme(), state.attentionTable);
  } else {
    renderTable();
    form.render(d.runs, state.picks, state.sentence);
    await renderSelection();
    await renderAttention();
    await renderHeads();
  }
  rendered();
}

// ------------------------------------------------------------------ main

startPanel({
  kind: 'compare',
  mount,
  restore: store.restore,
  render: renderAll,
  async onMessage(m) {
    switch (m.type) {
      case 'runsState': {
        // Checked where it arrived (parseHostMessage: every run as run.json is read).
        store.applyRuns(m);
        await renderAll();
        break;
      }
      case 'compareAttentionResult': {
        const problem = compareResultProblem(m);
        if (problem) return reportError(problem, 'ignored an invalid compareAttentionResult');
        store.update({ result: m });
        const failed = m.sides.filter((s) => s.error).length;
        form.setStatus(
          failed ? `${failed} of ${m.sides.length} runs could not translate.` : '',
          failed ? 'error' : 'muted',
        );
        await renderAttention();
        rendered();
        break;
      }
      case 'exportResult':
        showExportResult(m);
        break;
      default:
        break; // meant for another panel
    }
  },
  redrawForTheme: () => state.data !== null,
});
