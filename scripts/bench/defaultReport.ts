/**
 * The default mode's report: the TypeScript runs and the peer side by side, the targets met or
 * missed, and one JSON line (last).
 */
import { fmt, printTable } from './table';
import type { TorchRun } from './peer';
import type { TsRun } from './tsRun';

/** The targets, checked on the fastest TypeScript run (and the ratio to the peer). */
function targetsOf(epochs: number, runs: TsRun[], torch: TorchRun | null) {
  // The fastest TypeScript run is the one the targets are checked on.
  const best = runs.reduce((a, b) => (b.tokensPerSecond > a.tokensPerSecond ? b : a));
  const ratio = torch ? best.tokensPerSecond / torch.tokensPerSecond : null;
  const scale = 200 / epochs; // the targets speak of the 200-epoch run
  const targets = {
    throughputVsTorch: { target: '>= 3x PyTorch', value: ratio, ok: ratio !== null && ratio >= 3 },
    default200EpochSeconds: {
      target: '<= 60 s',
      value: best.trainSeconds * scale,
      ok: best.trainSeconds * scale <= 60,
    },
    eventLoopLagP99Ms: {
      target: '<= 20 ms',
      value: Math.max(...runs.map((r) => r.lagP99Ms)),
      ok: runs.every((r) => r.lagP99Ms <= 20),
    },
    translationMs: {
      target: '<= 20 ms',
      value: best.translationMsMedian,
      ok: best.translationMsMedian <= 20,
    },
    liveTensorGrowth: {
      target: '0',
      value: Math.max(...runs.map((r) => r.tensorsPerEpoch.max - r.tensorsPerEpoch.first)),
      ok: runs.every((r) => r.tensorsPerEpoch.max === r.tensorsPerEpoch.first),
    },
    rssGrowthMB: {
      target: '<= 50 MB',
      value: Math.max(...runs.map((r) => r.rssMB.end - r.rssMB.firstEpoch)),
      ok: runs.every((r) => r.rssMB.end - r.rssMB.firstEpoch <= 50),
    },
  };
  return { ratio, targets };
}

type Row = [string, ...string[]];

/** One figure: its label, a cell per run, then PyTorch's cell when PyTorch ran. */
function row(
  label: string,
  runs: TsRun[],
  ofRun: (r: TsRun) => string,
  torch: TorchRun | null,
  ofTorch: (t: TorchRun) => string,
): Row {
  return [label, ...runs.map(ofRun), ...(torch ? [ofTorch(torch)] : [])];
}

const NA = () => 'n/a';

/** Speed and the model's results, beside PyTorch's. */
function speedRows(runs: TsRun[], torch: TorchRun | null): Row[] {
  return [
    row(
      'target tokens/s',
      runs,
      (r) => fmt(r.tokensPerSecond, 0),
      torch,
      (t) => fmt(t.tokensPerSecond, 0),
    ),
    row(
      'ms per step',
      runs,
      (r) => fmt(r.msPerStep),
      torch,
      (t) => fmt(t.msPerStep),
    ),
    row(
      'training s',
      runs,
      (r) => fmt(r.trainSeconds),
      torch,
      (t) => fmt(t.seconds),
    ),
    row(
      'wall s (incl. start-up)',
      runs,
      (r) => fmt(r.wallSeconds),
      torch,
      (t) => fmt(t.wallSeconds),
    ),
    row(
      'x PyTorch tokens/s',
      runs,
      (r) => (torch ? fmt(r.tokensPerSecond / torch.tokensPerSecond, 2) : 'n/a'),
      torch,
      () => '1.00',
    ),
    row(
      'final loss / token',
      runs,
      (r) => fmt(r.loss, 4),
      torch,
      (t) => fmt(t.loss, 4),
    ),
    row(
      'seed BLEU',
      runs,
      (r) => r.seedBleu.map((b) => fmt(b, 3)).join(' '),
      torch,
      (t) => t.bleu.map((b) => fmt(b, 3)).join(' '),
    ),
  ];
}

/** What the extension host would feel: latency, event-loop lag, tensors and memory. */
function hostRows(runs: TsRun[], torch: TorchRun | null): Row[] {
  return [
    row(
      'translation ms p50/p95',
      runs,
      (r) => `${fmt(r.translationMsMedian)} / ${fmt(r.translationMsP95)}`,
      torch,
      NA,
    ),
    row(
      'heatmap specs ms',
      runs,
      (r) => (r.heatmapSpecsMs === null ? 'TODO' : fmt(r.heatmapSpecsMs)),
      torch,
      NA,
    ),
    row(
      'event-loop lag p50/p99/max ms',
      runs,
      (r) => `${fmt(r.lagP50Ms)} / ${fmt(r.lagP99Ms)} / ${fmt(r.lagMaxMs)}`,
      torch,
      NA,
    ),
    row(
      'live tensors epoch 1 / last / max',
      runs,
      (r) => `${r.tensorsPerEpoch.first} / ${r.tensorsPerEpoch.last} / ${r.tensorsPerEpoch.max}`,
      torch,
      NA,
    ),
    row(
      'RSS MB start / epoch 1 / end (after GC) / peak',
      runs,
      (r) =>
        `${fmt(r.rssMB.start, 0)} / ${fmt(r.rssMB.firstEpoch, 0)} / ${fmt(r.rssMB.end, 0)} / ` +
        fmt(r.rssMB.peak, 0),
      torch,
      NA,
    ),
  ];
}

/** The table's columns (one per run) and rows (one per figure). */
function tableOf(runs: TsRun[], torch: TorchRun | null): { cols: string[]; rows: string[][] } {
  const cols = [
    ...runs.map((r) => `TS ${r.backend} ${r.threads === 2 ? '2 threads' : '1 thread'}`),
    ...(torch ? ['PyTorch 1.13 CPU'] : []),
  ];
  return { cols, rows: [...speedRows(runs, torch), ...hostRows(runs, torch)] };
}

export function defaultReport(
  epochs: number,
  backend: string,
  runs: TsRun[],
  torch: TorchRun | null,
): void {
  const { ratio, targets } = targetsOf(epochs, runs, torch);
  const { cols, rows } = tableOf(runs, torch);
  console.log('');
  printTable(['', ...cols], rows);
  console.log('');
  for (const [name, t] of Object.entries(targets)) {
    const v = typeof t.value === 'number' ? fmt(t.value, 2) : 'n/a';
    console.log(`${t.ok ? 'MET   ' : 'MISSED'} ${name}: ${v} (target ${t.target})`);
  }
  console.log(
    JSON.stringify({
      epochs,
      backendRequested: backend,
      ts: runs,
      torch,
      ratio,
      targets,
    }),
  );
}
