/**
 * `npm run bench -- --all`: the book's experiment and the chapter's exercises, each trained by
 * this extension's trainer and then by the book's PyTorch code, back to back, in one table:
 * the 2-layer default, 4 layers (exercise 1), additive attention (exercise 2), each for
 * `--epochs` (40 by default in this mode), and the whole corpus (the first `--batches` batches
 * of one epoch, with peak resident memory). Ours trains as the extension does by default: two
 * threads on wasm where the model supports it (src/train/threads.ts).
 */
import { cpus, loadavg } from 'node:os';
import { DEFAULT_HYPERPARAMETERS, Hyperparameters } from '../../src/config/hyperparameters';
import type { BenchJob } from '../benchWorker';
import { LargeOptions, LargeRun, largeLine, largePeer, largePeerLine, largeTs } from './largeRun';
import { PeerJob, TorchRun, blasLine, runTorch } from './peer';
import { fmt, loadText, median, printTable } from './table';
import { TsRun, runTs } from './tsRun';

export interface AllOptions extends LargeOptions {
  epochs: number;
  /** Rounds of ours-then-peer for each 600-pair row (the whole corpus runs once). */
  repeat: number;
  /** The peer's settings other than the run's; null: no peer (--skip-torch). */
  peer: Omit<PeerJob, 'data' | 'epochs'> | null;
}

/** The 600-pair runs: what changes from the default on each side. */
const SMALL_RUNS: { name: string; h: Partial<Hyperparameters>; peer: Partial<PeerJob> }[] = [
  { name: '2 layers, dot product (default)', h: {}, peer: {} },
  { name: '4 layers (exercise 1)', h: { numLayers: 4 }, peer: { layers: 4 } },
  {
    name: 'additive attention (exercise 2)',
    h: { attentionFunction: 'additive' },
    peer: { attention: 'additive' },
  },
];

interface Row {
  name: string;
  /** tokensPerSecond: the median over the rounds; the loss is the first round's (seeded). */
  ours: { tokensPerSecond: number; loss: number | null; threads: number; peakMB: number | null };
  torch: { tokensPerSecond: number; loss: number | null; peakMB: number | null } | null;
  /** Each round's tokens/s, ours then the peer's, back to back (one round unless --repeat). */
  rounds: { ours: number; torch: number | null }[];
}

/**
 * One 600-pair row: `o.repeat` rounds of ours then the peer's, back to back. The shared machine
 * moves both sides from run to run (the peer's default row gave 2,391-4,602 tokens/s in one
 * evening), so the row's figure is each side's median and every round's own ratio is kept.
 */
async function smallRow(o: AllOptions, run: (typeof SMALL_RUNS)[number]): Promise<Row> {
  const h = { ...DEFAULT_HYPERPARAMETERS, ...run.h, numEpochs: o.epochs };
  const job: BenchJob = {
    corpus: o.data,
    hyperparameters: h,
    backend: o.backend,
    threads: 2,
    translationRuns: 0,
    nice: o.nice,
  };
  const rounds: { ours: TsRun; torch: TorchRun | null }[] = [];
  for (let round = 1; round <= o.repeat; round++) {
    const of = o.repeat > 1 ? `, round ${round} of ${o.repeat}` : '';
    console.log(`\n${run.name}: ${o.epochs} epochs${of}`);
    const ours = await runTs(job);
    let torch: TorchRun | null = null;
    if (o.peer) {
      torch = await runTorch({ ...o.peer, ...run.peer, data: o.data, epochs: o.epochs });
      console.log(blasLine(torch));
    }
    rounds.push({ ours, torch });
  }
  const [first] = rounds;
  const torchRuns = rounds.flatMap((r) => (r.torch ? [r.torch.tokensPerSecond] : []));
  return {
    name: run.name,
    ours: {
      tokensPerSecond: median(rounds.map((r) => r.ours.tokensPerSecond)),
      loss: first.ours.loss,
      threads: first.ours.threads,
      peakMB: null,
    },
    torch: first.torch && {
      tokensPerSecond: median(torchRuns),
      loss: first.torch.loss,
      peakMB: null,
    },
    rounds: rounds.map((r) => ({
      ours: r.ours.tokensPerSecond,
      torch: r.torch?.tokensPerSecond ?? null,
    })),
  };
}

async function largeRow(o: AllOptions): Promise<Row> {
  console.log(`\nwhole corpus: ${o.numExamples} pairs, the first ${o.maxBatches} batches`);
  const ours: LargeRun = await largeTs(o, 2, DEFAULT_HYPERPARAMETERS);
  const torch = o.peer ? await largePeer(o, o.peer) : null;
  console.log(largeLine(ours, torch));
  const l = torch?.large;
  if (l) console.log(largePeerLine(l));
  return {
    name: `whole corpus (${ours.pairs} pairs, ${ours.tgtVocabSize} words)`,
    ours: {
      tokensPerSecond: ours.steadyTokensPerSecond,
      loss: null,
      threads: ours.threads,
      peakMB: ours.rssPeakMB,
    },
    torch: l ? { tokensPerSecond: l.steadyTokensPerSecond, loss: null, peakMB: l.peakRssMB } : null,
    rounds: [{ ours: ours.steadyTokensPerSecond, torch: l?.steadyTokensPerSecond ?? null }],
  };
}

export async function mainAll(o: AllOptions): Promise<void> {
  const loadBefore = loadavg();
  console.log(
    `bench --all: ${o.epochs} epochs for the 600-pair runs, the first ${o.maxBatches} batches ` +
      `of one epoch for the whole corpus; backend ${o.backend}; ${loadText(loadBefore, cpus().length)}`,
  );
  const rows: Row[] = [];
  for (const run of SMALL_RUNS) rows.push(await smallRow(o, run));
  rows.push(await largeRow(o));
  const loadAfter = loadavg();
  console.log('');
  printRows(rows, o.repeat);
  console.log(
    `before: ${loadText(loadBefore, cpus().length)}; after: ${loadText(loadAfter, cpus().length)}`,
  );
  console.log(
    JSON.stringify({
      mode: 'all',
      epochs: o.epochs,
      repeat: o.repeat,
      rows,
      loadBefore,
      loadAfter,
    }),
  );
}

/** The table: medians and their ratio, and with --repeat every round's own ratio. */
function printRows(rows: Row[], repeat: number): void {
  const roundRatios = (r: Row) =>
    r.rounds.map((x) => (x.torch ? `${fmt(x.ours / x.torch, 2)}` : 'n/a')).join(', ');
  printTable(
    [
      'run',
      repeat > 1 ? 'PyTorch tokens/s (median)' : 'PyTorch tokens/s',
      repeat > 1 ? 'ours tokens/s (median)' : 'ours tokens/s',
      'ratio',
      ...(repeat > 1 ? ['ratio in each round'] : []),
      'final loss PyTorch / ours',
      'peak RSS MB PyTorch / ours',
    ],
    rows.map((r) => [
      r.name,
      fmt(r.torch?.tokensPerSecond, 0),
      `${fmt(r.ours.tokensPerSecond, 0)} (${r.ours.threads} thread${r.ours.threads === 2 ? 's' : ''})`,
      r.torch ? `${fmt(r.ours.tokensPerSecond / r.torch.tokensPerSecond, 2)}x` : 'n/a',
      ...(repeat > 1 ? [roundRatios(r)] : []),
      r.ours.loss === null ? '' : `${fmt(r.torch?.loss, 3)} / ${fmt(r.ours.loss, 3)}`,
      r.ours.peakMB === null ? '' : `${fmt(r.torch?.peakMB, 0)} / ${fmt(r.ours.peakMB, 0)}`,
    ]),
  );
}
