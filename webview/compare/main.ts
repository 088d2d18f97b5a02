/**
 * Compare Runs panel: every training run the history keeps, in a sortable table (Make current,
 * Delete, CSV export), the checked runs' loss curves overlaid, their seed translations side by
 * side, and the attention of two runs for one sentence. After each render it posts `rendered`
 * with the charts on screen: the loss-curve chart (0 or 1) plus the heatmaps shown.
 */
import type { RunRecord } from '../../src/shared/protocol';
import { runCurves, runPalette } from '../specs/runCurves';
import { formatBytes, nextSort, runName, sortRuns } from '../specs/runRows';
import { CSV_FILE_NAME, runsCsv } from '../specs/runsCsv';
import { seedComparison } from '../specs/runSeeds';
import { ChartTheme, themeKindFromClasses } from '../specs/theme';
import { h, replaceChildren } from '../shared/dom';
import { currentTheme, watchTheme } from '../shared/theme';
import {
  enqueue,
  installErrorReporting,
  onHostMessage,
  post,
  reportError,
} from '../shared/vscodeApi';
import { createAttentionCompare } from './attentionCompare';
import { createCompareForm } from './compareForm';
import { createCurvesChart } from './curvesChart';
import { exportToolbar, showExportResult } from './exportButtons';
import { compareResultProblem, runsStateProblem } from './guards';
import { createRunTable } from './runTable';
import { seedsTable } from './seedsTable';
import { applyRuns, checkedIds, restore, save, state } from './state';

let theme: ChartTheme = currentTheme();

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
    state.sort = nextSort(state.sort, column);
    save();
    void enqueue(async () => {
      renderTable();
      await renderSelection();
      postRendered();
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
});

const chart = createCurvesChart();

const form = createCompareForm({
  onPick(side, runId) {
    state.picks[side] = runId;
    save();
  },
  onSentence(text) {
    state.sentence = text;
    save();
  },
  onCompare(runIds, sentence) {
    const names = runIds
      .map((id) => state.data?.runs.find((r) => r.id === id))
      .map((r) => (r ? runName(r) : 'the run'));
    form.setStatus(`Translating with ${names[0]} and ${names[1]}…`, 'busy');
    post({ type: 'compareAttention', runIds, sentence });
  },
});

const attention = createAttentionCompare((kind) => {
  if (kind === state.kind) return;
  state.kind = kind;
  save();
  void enqueue(async () => {
    await renderAttention();
    postRendered();
  }, 'switching the attention kind');
});

/** Checks exactly `ids`; `redrawTable` when the rows' boxes must follow (check all / none). */
function setChecked(ids: string[], redrawTable = false): void {
  if (!state.selection) return;
  state.selection = { ...state.selection, checked: [...new Set(ids)] };
  save();
  table.updateAllBox(checkedIds());
  void enqueue(async () => {
    if (redrawTable) renderTable();
    await renderSelection();
    postRendered();
  }, 'showing the checked runs');
}

// ------------------------------------------------------------------ skeleton

const summary = h('p', { class: 'muted', id: 'runs-summary' });
const loading = h('p', { class: 'empty', id: 'runs-loading' }, 'Loading the run history…');
const emptyEl = h(
  'p',
  { class: 'empty', id: 'runs-empty', hidden: true },
  'No runs yet. Run “Transformer: Train Transformer” (F1) to train one: every run is kept here, ' +
    'with its loss curve, translations and model, so that you can compare them.',
);
const seedsEl = h('div', { id: 'seeds' });
const content = h('div', { id: 'runs-content', hidden: true });

function card(id: string, title: string, ...children: (HTMLElement | HTMLElement[])[]) {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': `${id}-title` },
    h('h2', { id: `${id}-title` }, title),
    ...children,
  );
}

function buildSkeleton(): void {
  const app = document.getElementById('app') ?? document.body;
  replaceChildren(
    content,
    card(
      'runs',
      'Runs',
      exportToolbar('Export the table:', 'csv-status', [
        {
          id: 'export-csv',
          text: 'CSV',
          title: 'Every run and its settings and scores, in the table’s order',
          make: () => ({
            type: 'export',
            format: 'csv',
            suggestedName: CSV_FILE_NAME,
            content: runsCsv(sortedRuns(), ctx()),
          }),
        },
      ]),
      table.element,
    ),
    card(
      'curves',
      'Loss per token',
      exportToolbar('Export the chart:', 'curves-status', [
        {
          id: 'export-png',
          text: 'PNG',
          title: 'The chart as a PNG image (twice the size on screen)',
          make: async () => ({
            type: 'export',
            format: 'png',
            suggestedName: 'transformer-runs-loss.png',
            content: await chart.png(),
          }),
        },
        {
          id: 'export-svg',
          text: 'SVG',
          title: 'The chart as an SVG image',
          make: async () => ({
            type: 'export',
            format: 'svg',
            suggestedName: 'transformer-runs-loss.svg',
            content: await chart.svg(),
          }),
        },
      ]),
      chart.elements,
    ),
    card('seeds', 'Seed sentences', seedsEl),
    card(
      'attention',
      'Attention of two runs',
      h(
        'p',
        { class: 'caption muted' },
        'Both runs translate the sentence; compare what each head attends to.',
      ),
      form.element,
      attention.element,
    ),
  );
  replaceChildren(
    app,
    h('header', { class: 'panel-header' }, h('h1', {}, 'Compare runs'), summary),
    loading,
    emptyEl,
    content,
  );
  new ResizeObserver(() => {
    if (attention.needsRelayout()) {
      void enqueue(async () => {
        await renderAttention();
        postRendered();
      }, 'resizing');
    }
  }).observe(content);
}

// ------------------------------------------------------------------ rendering

function postRendered(): void {
  post({ type: 'rendered', panel: 'compare', charts: chart.count() + attention.count() });
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
      `history ${formatBytes(d.totalBytes)} of ${formatBytes(d.limitBytes)}`,
    ),
  );
}

function renderTable(): void {
  table.render(sortedRuns(), state.sort, checkedIds(), ctx());
}

/** The parts that show the checked runs: the curves and the seed translations. */
async function renderSelection(): Promise<void> {
  const shown = curves();
  replaceChildren(
    seedsEl,
    seedsTable(seedComparison(checkedRuns()), new Map(shown.map((c) => [c.runId, c.color]))),
  );
  await chart.render(shown, theme);
}

async function renderAttention(): Promise<void> {
  await attention.render(state.result, state.kind, theme);
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
    await chart.render([], theme);
    await attention.render(null, state.kind, theme);
  } else {
    renderTable();
    form.render(d.runs, state.picks, state.sentence);
    await renderSelection();
    await renderAttention();
  }
  postRendered();
}

// ------------------------------------------------------------------ main

function main(): void {
  installErrorReporting();
  buildSkeleton();
  if (restore()) void enqueue(renderAll, 'restoring the compare panel');
  onHostMessage(async (m) => {
    switch (m.type) {
      case 'runsState': {
        const problem = runsStateProblem(m);
        if (problem) return reportError(problem, 'ignored an invalid runsState');
        applyRuns(m);
        await renderAll();
        break;
      }
      case 'compareAttentionResult': {
        const problem = compareResultProblem(m);
        if (problem) return reportError(problem, 'ignored an invalid compareAttentionResult');
        state.result = m;
        save();
        const failed = m.sides.filter((s) => s.error).length;
        form.setStatus(
          failed ? `${failed} of ${m.sides.length} runs could not translate.` : '',
          failed ? 'error' : 'muted',
        );
        await renderAttention();
        postRendered();
        break;
      }
      case 'exportResult':
        showExportResult(m);
        break;
      default:
        break; // meant for another panel
    }
  });
  watchTheme((t) => {
    theme = t;
    if (state.data) void enqueue(renderAll, 're-rendering for the new theme');
  });
  post({ type: 'ready', panel: 'compare' });
}

main();
