/**
 * Training panel: status, backend, progress (per epoch, and per mini-batch or held-out sentence
 * inside long epochs), the live loss curve (appended point by point through the vega View API),
 * seed-sentence translations with BLEU, held-out BLEU, hyperparameters.
 *
 * state.ts holds what the panel shows; the components (status header, progress card, loss
 * chart, result tables) draw it.
 */
import type { EpochPoint } from '../../src/shared/protocol';
import { h, replaceChildren } from '../shared/dom';
import { section } from '../shared/layout';
import { postRendered, startPanel } from '../shared/panel';
import { chartTheme } from '../shared/theme';
import { post } from '../shared/vscodeApi';
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
const seedsEl = h('div', { id: 'seeds' });
const heldOutEl = h('div', { id: 'held-out' });
const hyperEl = h('div', { id: 'hyperparameters' });

function mount(app: HTMLElement): void {
  replaceChildren(
    app,
    header.element,
    progress.element,
    section({ id: 'loss', title: 'Loss per token' }, chart.elements),
    section({ id: 'seeds', title: 'Seed sentences' }, seedsEl),
    section({ id: 'held-out', title: 'Held-out BLEU' }, heldOutEl),
    section({ id: 'hyper', title: 'Hyperparameters' }, hyperEl),
  );
}

// ------------------------------------------------------------------ rendering

async function renderChart(): Promise<void> {
  const run = state.run;
  await chart.render(run?.points ?? [], run?.hyperparameters?.numEpochs, chartTheme());
  postRendered('training', chart.count());
}

async function render(): Promise<void> {
  const run = state.run;
  if (!run) return;
  header.render(run);
  progress.render(state, store.isRunning());
  replaceChildren(seedsEl, seedsTable(run.seeds));
  replaceChildren(heldOutEl, heldOutScores(run.heldOut));
  replaceChildren(hyperEl, hyperparameterTable(run.hyperparameters));
  await renderChart();
}

/** A new epoch: numbers, and one point appended to the chart (embedded on the first). */
async function onEpoch(point: EpochPoint): Promise<void> {
  const added = store.addEpoch(point);
  if (added === 'first') return render();
  if (added === 'duplicate') return;
  progress.render(state, store.isRunning());
  if (!(await chart.append(point))) await renderChart();
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
