/**
 * Training panel: status, backend, progress (per epoch, and per mini-batch or held-out sentence
 * inside long epochs), the live loss curve (appended point by point through the vega View API,
 * or a table of the same points), seed-sentence translations with BLEU, held-out BLEU,
 * hyperparameters; before any training, what to do instead.
 *
 * state.ts holds what the panel shows; the components (status header, progress card, loss
 * chart, result tables) draw it.
 */
import type { EpochPoint } from '../../src/shared/protocol';
import { neverTrained, resultNotes } from '../specs/trainingNotes';
import { h, replaceChildren } from '../shared/dom';
import { emptyState, section, toolbar } from '../shared/layout';
import { postRendered, startPanel } from '../shared/panel';
import { chartTheme } from '../shared/theme';
import { toggleButton } from '../shared/toggleButton';
import { enqueue, post } from '../shared/vscodeApi';
import { createLossChart } from './lossChart';
import { createProgressCard } from './progressCard';
import { heldOutScores, hyperparameterTable, seedsTable } from './resultTables';
import * as store from './state';
import { state } from './state';
import { createStatusHeader } from './statusHeader';

// ------------------------------------------------------------------ the parts

const header = createStatusHeader({
  onCancel: () => post({ type: 'cancelTraining' }),
  onSettings: () => post({ type: 'openSettings' }),
});
const progress = createProgressCard();
const chart = createLossChart();
const lossTable = toggleButton({
  id: 'loss-show-table',
  text: 'Show as table',
  title: 'The loss of each epoch as a table',
  onToggle(show) {
    store.setLossTable(show);
    void enqueue(renderChart, 'showing the loss as a table or a chart');
  },
});
const seedsEl = h('div', { id: 'seeds' });
const heldOutEl = h('div', { id: 'held-out' });
const hyperEl = h('div', { id: 'hyperparameters' });
const neverEl = emptyState(
  'No training yet. Train Transformer trains the d2l.ai Transformer on English–French pairs ' +
    'with your transformer.* settings; its loss, translations and BLEU appear here as it learns.',
  {
    id: 'training-empty',
    hidden: true,
    actions: [
      {
        id: 'empty-train',
        text: 'Train Transformer',
        onClick: () => post({ type: 'runCommand', command: 'train' }),
      },
      {
        id: 'empty-settings',
        text: 'Open settings',
        onClick: () => post({ type: 'openSettings' }),
      },
    ],
  },
);
const runEl = h('div', { id: 'run' });

function mount(app: HTMLElement): void {
  replaceChildren(
    runEl,
    progress.element,
    section({ id: 'loss', title: 'Loss per token' }, toolbar(lossTable.element), chart.elements),
    section({ id: 'seeds', title: 'Seed sentences' }, seedsEl),
    section({ id: 'held-out', title: 'Held-out BLEU' }, heldOutEl),
    section({ id: 'hyper', title: 'Hyperparameters' }, hyperEl),
  );
  replaceChildren(app, header.element, neverEl, runEl);
}

// ------------------------------------------------------------------ rendering

async function renderChart(): Promise<void> {
  const run = state.run;
  lossTable.render(state.lossTable);
  await chart.render(
    run?.points ?? [],
    run?.hyperparameters?.numEpochs,
    chartTheme(),
    state.lossTable,
  );
  postRendered('training', chart.count());
}

async function render(): Promise<void> {
  const run = state.run;
  if (!run) return;
  header.render(run);
  const never = neverTrained(run);
  neverEl.hidden = !never;
  runEl.hidden = never;
  progress.render(state, store.isRunning());
  const notes = resultNotes(run.status);
  replaceChildren(seedsEl, seedsTable(run.seeds, notes));
  replaceChildren(heldOutEl, heldOutScores(run.heldOut, notes));
  replaceChildren(hyperEl, hyperparameterTable(run.hyperparameters));
  await renderChart();
}

/** A new epoch: numbers, and one point appended to the chart (embedded on the first). */
async function onEpoch(point: EpochPoint): Promise<void> {
  const added = store.addEpoch(point);
  if (added === 'first') return render();
  if (added === 'duplicate') return;
  progress.render(state, store.isRunning());
  if (!(await chart.append(point, state.run?.points ?? []))) await renderChart();
}

// ------------------------------------------------------------------ main

startPanel({
  kind: 'training',
  mount,
  restore: store.restore,
  render,
  async onMessage(m) {
    switch (m.type) {
      case 'trainingState':
        store.applyTrainingState(m);
        await render();
        break;
      case 'trainingEpoch':
        await onEpoch(m.point);
        break;
      case 'trainingBatch':
        // A cheap DOM update: text and progress values, never the chart.
        if (store.applyBatch(m.progress)) progress.render(state, store.isRunning());
        break;
      default:
        break; // meant for another panel
    }
  },
  redrawForTheme: () => state.run !== null,
});
