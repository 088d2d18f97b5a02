/** Number and time formatting for the panels. Pure (no DOM). */
import type { EpochPoint } from '../../src/shared/protocol';

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
