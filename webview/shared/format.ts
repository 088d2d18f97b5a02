/** Number and time formatting, and the progress and ETA they show, for the panels. Pure (no DOM). */
import type { BatchProgress, EpochPoint } from '../../src/shared/protocol';

/** 75 → `1m 15s`, 3725 → `1h 02m`, 9 → `9s`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  return `${h}h ${String(m % 60).padStart(2, '0')}m`;
}

/** 12345.6 → `12,346`. */
export function formatInteger(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–';
}

/** BLEU in [0, 1] → `0.734`; undefined → `–`. */
export function formatBleu(b: number | undefined | null): string {
  return typeof b === 'number' && Number.isFinite(b) ? b.toFixed(3) : '–';
}

export interface Progress {
  epoch: number;
  numEpochs: number;
  /** 0..1 */
  fraction: number;
  elapsedSeconds: number;
  /** Seconds left at the mean pace so far; null before the first epoch. */
  etaSeconds: number | null;
  tokensPerSecond: number | null;
}

/** Progress from the points so far (elapsedSeconds of a point is time since training began). */
export function progressOf(points: readonly EpochPoint[], numEpochs?: number): Progress {
  const last = points[points.length - 1];
  const total = last?.numEpochs ?? numEpochs ?? 0;
  if (!last) {
    return {
      epoch: 0,
      numEpochs: total,
      fraction: 0,
      elapsedSeconds: 0,
      etaSeconds: null,
      tokensPerSecond: null,
    };
  }
  const perEpoch = last.epoch > 0 ? last.elapsedSeconds / last.epoch : 0;
  const left = Math.max(0, total - last.epoch);
  return {
    epoch: last.epoch,
    numEpochs: total,
    fraction: total > 0 ? Math.min(1, last.epoch / total) : 0,
    elapsedSeconds: last.elapsedSeconds,
    etaSeconds: perEpoch > 0 ? perEpoch * left : null,
    tokensPerSecond: last.tokensPerSecond,
  };
}

/** Elapsed seconds and sentences done at the first held-out message: its pace starts there. */
export interface HeldOutStart {
  elapsedSeconds: number;
  done: number;
}

/**
 * Seconds left at the mean pace so far, counted in mini-batches over the whole run (training) or
 * in sentences since the first held-out message; null when there is no pace yet. Finer than the
 * per-epoch ETA when epochs are long (a few epochs over the whole corpus).
 */
export function batchEta(p: BatchProgress, heldOutStart: HeldOutStart | null): number | null {
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

/** A file-name-safe slug of a sentence: `Go home!` → `go-home`. */
export function slug(text: string, max = 40): string {
  const s = text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/g, '');
  return s || 'attention';
}
