/**
 * How far training is: the run's progress bar, the progress inside a long epoch (or through the
 * held-out pairs) with its own bar, epoch / loss / speed / elapsed / ETA, the backend and, at
 * the end, the summary. Text and values only (cheap enough for every mini-batch).
 */
import type { BatchProgress, TrainingStateMessage } from '../../src/shared/protocol';
import { h, replaceChildren } from '../shared/dom';
import { batchEta, formatDuration, formatInteger, progressOf } from '../shared/format';
import { SPEED_NOTES } from '../specs/trainingNotes';
import { section, stat } from '../shared/layout';
import type { TrainingState } from './state';

export interface ProgressCard {
  element: HTMLElement;
  /** `running`: batch progress is shown (see state.isRunning). */
  render(s: TrainingState, running: boolean): void;
}

function setBar(bar: HTMLProgressElement, fraction: number): void {
  bar.value = fraction;
  bar.setAttribute('aria-valuetext', `${Math.round(fraction * 100)}%`);
}

function etaText(run: TrainingStateMessage, eta: number | null): string {
  if (run.status === 'training' || run.status === 'preparing') {
    return eta === null ? '–' : formatDuration(eta);
  }
  return run.status === 'finished' ? 'done' : '–';
}

function summaryText(s: NonNullable<TrainingStateMessage['summary']>): string {
  const loss = Number.isFinite(s.lossPerToken)
    ? `loss ${s.lossPerToken.toFixed(4)} per token, `
    : '';
  return (
    `${s.cancelled ? 'Stopped after' : 'Trained'} ${s.epochsCompleted} epoch` +
    `${s.epochsCompleted === 1 ? '' : 's'} in ${formatDuration(s.seconds)}: ${loss}` +
    `${formatInteger(s.tokensPerSecond)} tokens/s over the whole training.`
  );
}

/** The card's elements, built once; each render sets their text and values. */
interface Parts {
  progress: HTMLProgressElement;
  batchText: HTMLElement;
  batchBar: HTMLProgressElement;
  batchEl: HTMLElement;
  stats: HTMLElement;
  backendLine: HTMLElement;
  summaryLine: HTMLElement;
}

function buildParts(): Parts {
  const bar = (id: string, label: string) =>
    h('progress', { id, max: 1, value: 0, 'aria-label': label });
  const batchText = h('span', { id: 'batch-text' });
  const batchBar = bar('batch-bar', 'Progress inside the epoch');
  return {
    progress: bar('progress', 'Training progress'),
    batchText,
    batchBar,
    batchEl: h(
      'div',
      { class: 'batch-progress', id: 'batch-progress', hidden: true, 'aria-live': 'off' },
      batchText,
      batchBar,
    ),
    stats: h('dl', { class: 'stats', id: 'stats' }),
    backendLine: h('p', { id: 'backend', class: 'backend' }),
    summaryLine: h('p', { id: 'summary', class: 'summary', hidden: true, title: SPEED_NOTES.run }),
  };
}

/** The epoch's numbers, the backend and the summary. */
function renderRun(e: Parts, run: TrainingStateMessage): void {
  const p = progressOf(run.points, run.hyperparameters?.numEpochs);
  setBar(e.progress, p.fraction);
  const last = run.points[run.points.length - 1];
  const speed = p.tokensPerSecond === null ? '–' : formatInteger(p.tokensPerSecond);
  replaceChildren(
    e.stats,
    stat('Epoch', p.numEpochs ? `${p.epoch} / ${p.numEpochs}` : `${p.epoch}`, 'stat-epoch'),
    stat('Loss / token', last ? last.lossPerToken.toFixed(4) : '–', 'stat-loss'),
    stat(SPEED_NOTES.epochLabel, speed, 'stat-speed', SPEED_NOTES.epoch),
    stat('Elapsed', last ? formatDuration(p.elapsedSeconds) : '–', 'stat-elapsed'),
    stat('ETA', etaText(run, p.etaSeconds), 'stat-eta'),
  );
  replaceChildren(
    e.backendLine,
    run.backend
      ? [
          h('span', { class: 'label' }, 'Backend: '),
          h('strong', {}, run.backend.label),
          run.backend.reason ? h('span', { class: 'muted' }, ` — ${run.backend.reason}`) : null,
        ]
      : h('span', { class: 'muted' }, 'Backend: not chosen yet'),
  );
  e.summaryLine.hidden = !run.summary;
  e.summaryLine.textContent = run.summary ? summaryText(run.summary) : '';
}

/** The batch line, and the epoch bar, elapsed time and ETA refined by it. */
function renderBatch(e: Parts, p: BatchProgress, eta: number | null): void {
  const fraction = Math.min(1, p.done / p.total);
  e.batchText.textContent =
    p.phase === 'train'
      ? `Epoch ${p.epoch}/${p.numEpochs} · batch ${formatInteger(p.done)} / ${formatInteger(p.total)}`
      : `Held-out evaluation: ${formatInteger(p.done)} / ${formatInteger(p.total)} sentences`;
  setBar(e.batchBar, fraction);
  e.batchBar.setAttribute(
    'aria-label',
    p.phase === 'train' ? 'Progress inside the epoch' : 'Held-out evaluation progress',
  );
  if (p.done >= p.total) return; // the epoch's own numbers are already shown
  if (p.phase === 'train' && p.numEpochs > 0) {
    setBar(e.progress, Math.min(1, (p.epoch - 1 + fraction) / p.numEpochs));
  }
  const setStat = (id: string, text: string): void => {
    const dd = e.stats.querySelector(`#${id}`);
    if (dd) dd.textContent = text;
  };
  setStat('stat-elapsed', formatDuration(p.elapsedSeconds));
  if (eta !== null) setStat('stat-eta', formatDuration(eta));
}

export function createProgressCard(): ProgressCard {
  const e = buildParts();
  return {
    element: section(
      { id: 'progress', title: 'Progress', hideTitle: true },
      e.progress,
      e.batchEl,
      e.stats,
      e.backendLine,
      e.summaryLine,
    ),
    render(s, running) {
      if (s.run) renderRun(e, s.run);
      const p = s.batch;
      const show = p !== null && p.total > 0 && running;
      e.batchEl.hidden = !show;
      if (show) renderBatch(e, p, batchEta(p, s.heldOutStart));
    },
  };
}
