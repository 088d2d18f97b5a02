/**
 * Training panel: status, backend, progress (per epoch, and per mini-batch or held-out sentence
 * inside long epochs), the live loss curve (appended point by point through
 * the vega View API), seed-sentence translations with BLEU, held-out BLEU, hyperparameters.
 */
import { LIMITS } from '../../src/config/hyperparameters';
import type { Hyperparameters } from '../../src/config/hyperparameters';
import type {
  BatchProgress,
  EpochPoint,
  ScoredSentence,
  TrainingStateMessage,
} from '../../src/shared/protocol';
import { lossCurveSpec, LOSS_DATASET } from '../specs/lossCurve';
import { ChartTheme } from '../specs/theme';
import {
  h,
  replaceChildren,
  unknownNote,
  withUnkMarked,
  withUnknownWordsMarked,
} from '../shared/dom';
import { formatBleu, formatDuration, formatInteger, progressOf } from '../shared/format';
import { Chart, renderChart } from '../shared/render';
import { currentTheme, watchTheme } from '../shared/theme';
import {
  getState,
  installErrorReporting,
  onHostMessage,
  enqueue,
  post,
  setState,
} from '../shared/vscodeApi';

interface SavedState {
  state: TrainingStateMessage | null;
}

const STATUS_LABELS: Record<TrainingStateMessage['status'], string> = {
  idle: 'Idle',
  preparing: 'Preparing',
  training: 'Training',
  finished: 'Finished',
  cancelled: 'Cancelled',
  failed: 'Failed',
};

let state: TrainingStateMessage | null = null;
let theme: ChartTheme = currentTheme();
let chart: Chart | null = null;
/** The latest progress inside an epoch or the held-out pairs (not saved: it is stale at once). */
let batch: BatchProgress | null = null;
/** Elapsed seconds and sentences done at the first held-out message: the pace is measured from it. */
let heldOutStart: { elapsedSeconds: number; done: number } | null = null;

// ------------------------------------------------------------------ skeleton

const statusBadge = h('span', { class: 'badge', id: 'status-badge' });
const statusText = h('span', { id: 'status-text' });
const cancelButton = h(
  'button',
  { type: 'button', id: 'cancel', class: 'secondary' },
  'Cancel training',
);
const settingsButton = h(
  'button',
  { type: 'button', id: 'settings', class: 'secondary' },
  'Open settings',
);
const progress = h('progress', {
  id: 'progress',
  max: 1,
  value: 0,
  'aria-label': 'Training progress',
});
const batchText = h('span', { id: 'batch-text' });
const batchBar = h('progress', {
  id: 'batch-bar',
  max: 1,
  value: 0,
  'aria-label': 'Progress inside the epoch',
});
const batchEl = h(
  'div',
  { class: 'batch-progress', id: 'batch-progress', hidden: true, 'aria-live': 'off' },
  batchText,
  batchBar,
);
const stats = h('dl', { class: 'stats', id: 'stats' });
const backendLine = h('p', { id: 'backend', class: 'backend' });
const summaryLine = h('p', { id: 'summary', class: 'summary', hidden: true });
const chartEl = h('div', { class: 'chart loss-chart', id: 'loss-chart' });
const chartEmpty = h('p', { class: 'empty', id: 'loss-empty' }, 'No epoch has finished yet.');
const seedsEl = h('div', { id: 'seeds' });
const heldOutEl = h('div', { id: 'held-out' });
const hyperEl = h('div', { id: 'hyperparameters' });

function buildSkeleton(): void {
  const app = document.getElementById('app') ?? document.body;
  replaceChildren(
    app,
    h(
      'header',
      { class: 'panel-header' },
      h('h1', {}, 'Transformer training'),
      h('p', { class: 'status', id: 'status', role: 'status' }, statusBadge, ' ', statusText),
      h('div', { class: 'actions' }, cancelButton, settingsButton),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'progress-title' },
      h('h2', { id: 'progress-title', class: 'visually-hidden' }, 'Progress'),
      progress,
      batchEl,
      stats,
      backendLine,
      summaryLine,
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'loss-title' },
      h('h2', { id: 'loss-title' }, 'Loss per token'),
      chartEl,
      chartEmpty,
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'seeds-title' },
      h('h2', { id: 'seeds-title' }, 'Seed sentences'),
      seedsEl,
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'held-out-title' },
      h('h2', { id: 'held-out-title' }, 'Held-out BLEU'),
      heldOutEl,
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'hyper-title' },
      h('h2', { id: 'hyper-title' }, 'Hyperparameters'),
      hyperEl,
    ),
  );
  cancelButton.addEventListener('click', () => {
    cancelButton.disabled = true;
    post({ type: 'cancelTraining' });
  });
  settingsButton.addEventListener('click', () => post({ type: 'openSettings' }));
}

// ------------------------------------------------------------------ rendering

function stat(label: string, value: string, id: string): HTMLElement {
  return h('div', { class: 'stat' }, h('dt', {}, label), h('dd', { id }, value));
}

function renderNumbers(): void {
  if (!state) return;
  const p = progressOf(state.points, state.hyperparameters?.numEpochs);
  progress.value = p.fraction;
  progress.setAttribute('aria-valuetext', `${Math.round(p.fraction * 100)}%`);
  const last = state.points[state.points.length - 1];
  const running = state.status === 'training' || state.status === 'preparing';
  replaceChildren(
    stats,
    stat('Epoch', p.numEpochs ? `${p.epoch} / ${p.numEpochs}` : `${p.epoch}`, 'stat-epoch'),
    stat('Loss / token', last ? last.lossPerToken.toFixed(4) : '–', 'stat-loss'),
    stat(
      'Tokens / s',
      p.tokensPerSecond === null ? '–' : formatInteger(p.tokensPerSecond),
      'stat-speed',
    ),
    stat('Elapsed', last ? formatDuration(p.elapsedSeconds) : '–', 'stat-elapsed'),
    stat('ETA', etaText(running, p.etaSeconds, state.status), 'stat-eta'),
  );
}

function etaText(running: boolean, eta: number | null, status: TrainingStateMessage['status']) {
  if (running) return eta === null ? '–' : formatDuration(eta);
  return status === 'finished' ? 'done' : '–';
}

function isRunning(): boolean {
  return !state || state.status === 'training' || state.status === 'preparing';
}

/**
 * Seconds left at the mean pace so far, counted in mini-batches over the whole run (training) or
 * in sentences since the first held-out message; null when there is no pace yet. Finer than the
 * per-epoch ETA when epochs are long (a few epochs over the whole corpus).
 */
function batchEta(p: BatchProgress): number | null {
  if (p.total <= 0 || p.done >= p.total) return null;
  if (p.phase === 'train') {
    const doneAll = (p.epoch - 1) * p.total + p.done;
    const left = p.numEpochs * p.total - doneAll;
    return doneAll > 0 && p.elapsedSeconds > 0 ? (p.elapsedSeconds / doneAll) * left : null;
  }
  if (!heldOutStart || p.done <= heldOutStart.done) return null;
  const perSentence =
    (p.elapsedSeconds - heldOutStart.elapsedSeconds) / (p.done - heldOutStart.done);
  return perSentence * (p.total - p.done);
}

/** The batch line, and the epoch bar, elapsed time and ETA refined by it: text and values only. */
function renderBatch(): void {
  const p = batch;
  const show = p !== null && p.total > 0 && isRunning();
  batchEl.hidden = !show;
  if (!show) return;
  const fraction = Math.min(1, p.done / p.total);
  batchText.textContent =
    p.phase === 'train'
      ? `Epoch ${p.epoch}/${p.numEpochs} · batch ${formatInteger(p.done)} / ${formatInteger(p.total)}`
      : `Held-out evaluation: ${formatInteger(p.done)} / ${formatInteger(p.total)} sentences`;
  batchBar.value = fraction;
  batchBar.setAttribute('aria-valuetext', `${Math.round(fraction * 100)}%`);
  batchBar.setAttribute(
    'aria-label',
    p.phase === 'train' ? 'Progress inside the epoch' : 'Held-out evaluation progress',
  );
  if (p.done >= p.total) return; // the epoch's own numbers are already shown
  if (p.phase === 'train' && p.numEpochs > 0) {
    const overall = Math.min(1, (p.epoch - 1 + fraction) / p.numEpochs);
    progress.value = overall;
    progress.setAttribute('aria-valuetext', `${Math.round(overall * 100)}%`);
  }
  setStat('stat-elapsed', formatDuration(p.elapsedSeconds));
  const eta = batchEta(p);
  if (eta !== null) setStat('stat-eta', formatDuration(eta));
}

function setStat(id: string, text: string): void {
  const dd = stats.querySelector(`#${id}`);
  if (dd) dd.textContent = text;
}

function renderStatus(): void {
  if (!state) return;
  statusBadge.textContent = STATUS_LABELS[state.status];
  statusBadge.dataset.status = state.status;
  statusText.textContent = state.statusText;
  cancelButton.disabled = !(state.status === 'preparing' || state.status === 'training');
  if (state.backend) {
    replaceChildren(
      backendLine,
      h('span', { class: 'label' }, 'Backend: '),
      h('strong', {}, state.backend.label),
      state.backend.reason ? h('span', { class: 'muted' }, ` — ${state.backend.reason}`) : null,
    );
  } else {
    replaceChildren(backendLine, h('span', { class: 'muted' }, 'Backend: not chosen yet'));
  }
  const s = state.summary;
  summaryLine.hidden = !s;
  if (s) {
    summaryLine.textContent =
      `${s.cancelled ? 'Cancelled after' : 'Trained'} ${s.epochsCompleted} epoch` +
      `${s.epochsCompleted === 1 ? '' : 's'} in ${formatDuration(s.seconds)}: ` +
      `loss ${s.lossPerToken.toFixed(4)} per token, ${formatInteger(s.tokensPerSecond)} tokens/s.`;
  }
}

function seedsTable(seeds: readonly ScoredSentence[]): HTMLElement {
  if (seeds.length === 0) {
    return h(
      'p',
      { class: 'empty' },
      'Translations of the seed sentences appear when training ends.',
    );
  }
  return h(
    'table',
    { class: 'data-table seeds' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'English'),
        h('th', { scope: 'col' }, 'Model translation'),
        h('th', { scope: 'col' }, 'Reference'),
        h('th', { scope: 'col', class: 'num' }, 'BLEU'),
      ),
    ),
    h(
      'tbody',
      {},
      seeds.map((s) =>
        h(
          'tr',
          {},
          h(
            'td',
            {},
            withUnknownWordsMarked(s.source, s.unknownTokens),
            unknownNote(s.unknownTokens),
          ),
          h('td', { lang: 'fr' }, withUnkMarked(s.translation)),
          h('td', { lang: 'fr', class: 'muted' }, s.reference ?? '–'),
          h('td', { class: 'num' }, formatBleu(s.bleu)),
        ),
      ),
    ),
  );
}

function renderTables(): void {
  if (!state) return;
  replaceChildren(seedsEl, seedsTable(state.seeds));
  const ho = state.heldOut;
  replaceChildren(
    heldOutEl,
    ho
      ? h(
          'dl',
          { class: 'stats' },
          stat('Pairs', formatInteger(ho.count), 'held-out-count'),
          stat('Mean BLEU-2', formatBleu(ho.meanBleu2), 'held-out-bleu2'),
          stat('Corpus BLEU-4', formatBleu(ho.corpusBleu4), 'held-out-bleu4'),
        )
      : h('p', { class: 'empty' }, 'Scored on pairs kept out of training, when training ends.'),
  );
  const hp = state.hyperparameters;
  replaceChildren(
    hyperEl,
    hp
      ? h(
          'table',
          { class: 'data-table hyper' },
          h(
            'tbody',
            {},
            (Object.keys(LIMITS) as (keyof Hyperparameters)[]).map((k) =>
              h(
                'tr',
                {},
                h('th', { scope: 'row' }, h('code', {}, k)),
                h('td', { class: 'num' }, String(hp[k])),
                h('td', { class: 'muted' }, LIMITS[k].description),
              ),
            ),
          ),
        )
      : h('p', { class: 'empty' }, 'Not started.'),
  );
}

async function renderChartNow(): Promise<void> {
  if (!state) return;
  chart?.finalize();
  chart = null;
  chartEmpty.hidden = state.points.length > 0;
  chartEl.hidden = state.points.length === 0;
  if (state.points.length === 0) {
    chartEl.replaceChildren();
    return;
  }
  chart = await renderChart(
    chartEl,
    lossCurveSpec(state.points, theme, { numEpochs: state.hyperparameters?.numEpochs }),
  );
}

async function renderAll(): Promise<void> {
  renderStatus();
  renderNumbers();
  renderBatch();
  renderTables();
  await renderChartNow();
  post({ type: 'rendered', panel: 'training', charts: chart ? 1 : 0 });
}

function save(): void {
  setState<SavedState>({ state });
}

// ------------------------------------------------------------------ messages

async function onEpoch(point: EpochPoint): Promise<void> {
  if (!state) {
    state = {
      type: 'trainingState',
      status: 'training',
      statusText: 'Training',
      hyperparameters: null,
      backend: null,
      points: [],
      seeds: [],
      heldOut: null,
      summary: null,
    };
    state.points.push(point);
    save();
    await renderAll();
    return;
  }
  const last = state.points[state.points.length - 1];
  if (last && point.epoch <= last.epoch) return; // already shown (e.g. restored state)
  state.points.push(point);
  save();
  renderNumbers();
  if (batch?.phase === 'train' && batch.epoch <= point.epoch) {
    // The epoch is over: show it full until the next epoch's first message.
    batch = { ...batch, epoch: point.epoch, done: batch.total };
  }
  renderBatch();
  if (chart) {
    await chart.view.insert(LOSS_DATASET, [{ ...point }]).runAsync();
  } else {
    // The first point: the chart is embedded now (there was only a note before).
    await renderChartNow();
    post({ type: 'rendered', panel: 'training', charts: chart ? 1 : 0 });
  }
}

/** A cheap DOM update: text and progress values, never the chart. */
function onBatch(p: BatchProgress): void {
  if (!isRunning()) return;
  if (p.phase === 'heldOut' && batch?.phase !== 'heldOut') {
    heldOutStart = { elapsedSeconds: p.elapsedSeconds, done: p.done };
  }
  batch = p;
  renderBatch();
}

function main(): void {
  installErrorReporting();
  buildSkeleton();
  const saved = getState<SavedState>();
  if (saved?.state) {
    state = saved.state;
    void enqueue(renderAll, 'restoring the training panel');
  }
  onHostMessage(async (m) => {
    switch (m.type) {
      case 'trainingState':
        state = { ...m, points: [...m.points] };
        if (!isRunning() || state.status === 'preparing') {
          batch = null; // finished, stopped, or a new run
          heldOutStart = null;
        }
        save();
        await renderAll();
        break;
      case 'trainingEpoch':
        await onEpoch(m.point);
        break;
      case 'trainingBatch':
        onBatch(m.progress);
        break;
      default:
        break; // meant for another panel
    }
  });
  watchTheme((t) => {
    theme = t;
    if (state) void enqueue(renderAll, 're-rendering for the new theme');
  });
  post({ type: 'ready', panel: 'training' });
}

main();
