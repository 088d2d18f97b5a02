/**
 * `npm run bench`: the book's default experiment (600 pairs, batch 64, 10 steps) trained by the
 * TypeScript trainer in a worker thread (one thread, and data-parallel on two) and by the
 * PyTorch reference (test/reference/train_book.py) in one run, on the same data and settings.
 *
 *   npm run bench -- [--epochs 200] [--backend auto|wasm|cpu] [--threads 1|2|both]
 *                    [--attention dotProduct|additive]   (both sides: the chapter's exercise 2)
 *                    [--skip-torch] [--torch-threads 2] [--translations 100] [--data FILE]
 *                    [--nice 10]   (nice value of the training threads and of the peer; 0 = as the bench)
 *                    [--install-openblas]   (install libopenblas0-pthread for the peer if missing)
 *   npm run bench -- --large [--examples 167130] [--batches 300] [--threads 1|2|both]
 *                    [--from-source]   (the worker through tsx, not bundled as shipped)
 *                    (the first batches of one epoch over the whole corpus: data set-up time,
 *                    steady tokens/s and ms per step, the epoch's time extrapolated, peak RSS
 *                    and each thread's memory; then the peer on the same batches)
 *   npm run bench -- --all [--epochs 40] [--examples 167130] [--batches 300] [--repeat 3]
 *                    (one table: 2 layers, 4 layers, additive attention, whole corpus; both sides;
 *                    --repeat: rounds of ours-then-peer per 600-pair row, medians and each ratio)
 *   npm run bench -- --explore [--model DIR] [--clicks 60] [--count 200] [--skip-webview]
 *                    (issue 13: a head switched off and re-translated through the worker, click to
 *                    translation against 50 ms; head importance against 30 s; scripts/bench/exploreMode.ts)
 *
 * The peer runs on OpenBLAS or not at all (scripts/bench/peer.ts). Timings on a shared 2-core
 * machine are noisy: compare the ratios inside one run; each mode prints the load average.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { ATTENTION_FUNCTIONS, DEFAULT_HYPERPARAMETERS } from '../src/config/hyperparameters';
import type { AttentionFunction } from '../src/model/config';
import type { BenchJob } from './benchWorker';
import { mainAll } from './bench/allMode';
import { defaultReport } from './bench/defaultReport';
import { mainExplore } from './bench/exploreMode';
import { mainLarge } from './bench/largeRun';
import { ensureOpenBlas, runTorch, blasLine, TorchRun } from './bench/peer';
import { TsRun, runTs } from './bench/tsRun';

const ROOT = path.resolve(__dirname, '..');

const OPTIONS = {
  epochs: { type: 'string' },
  backend: { type: 'string', default: 'auto' },
  threads: { type: 'string', default: 'both' },
  'skip-torch': { type: 'boolean', default: false },
  'torch-threads': { type: 'string', default: '2' },
  'install-openblas': { type: 'boolean', default: false },
  translations: { type: 'string', default: '100' },
  nice: { type: 'string', default: '10' },
  python: { type: 'string', default: '/usr/bin/python3' },
  data: { type: 'string', default: path.resolve(ROOT, '../shared/data/fra-eng/fra.txt') },
  large: { type: 'boolean', default: false },
  all: { type: 'boolean', default: false },
  examples: { type: 'string', default: '167130' },
  batches: { type: 'string', default: '300' },
  'from-source': { type: 'boolean', default: false },
  attention: { type: 'string', default: DEFAULT_HYPERPARAMETERS.attentionFunction },
  repeat: { type: 'string', default: '1' },
} as const;

function wholeNumber(value: string, flag: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`${flag}: a whole number >= ${min}`);
  return n;
}

async function main(): Promise<void> {
  if (process.argv.includes('--explore')) return mainExplore(process.argv.slice(2)); // own flags
  const { values } = parseArgs({ options: OPTIONS });
  // 200 epochs as the book; --all compares four runs, at 40 unless told.
  const epochs = wholeNumber(values.epochs ?? (values.all ? '40' : '200'), '--epochs', 1);
  const backend = values.backend as BenchJob['backend'];
  if (!['auto', 'wasm', 'cpu', 'gpu'].includes(backend)) {
    throw new Error('--backend must be auto, wasm, cpu or gpu');
  }
  const threadModes: (1 | 2)[] =
    values.threads === 'both' ? [1, 2] : values.threads === '2' ? [2] : [1];
  const data = path.resolve(values.data);
  if (!existsSync(data)) throw new Error(`Corpus not found: ${data}`);
  const withPeer = !values['skip-torch'];
  if (withPeer)
    console.log(`  [pytorch] libblas.so.3 -> ${ensureOpenBlas(values['install-openblas'])}`);
  const torchThreads = wholeNumber(values['torch-threads'], '--torch-threads', 1);
  // The peer runs at the nice value of our training threads (see PeerJob.nice).
  const nice = Number(values.nice);
  const peer = withPeer ? { python: values.python, threads: torchThreads, nice } : null;
  const large = {
    numExamples: wholeNumber(values.examples, '--examples', 1),
    maxBatches: wholeNumber(values.batches, '--batches', 2),
    nice,
    backend,
    data,
    fromSource: values['from-source'],
  };
  const repeat = wholeNumber(values.repeat, '--repeat', 1);
  if (values.all) return mainAll({ ...large, epochs, peer, repeat });
  if (values.large) return mainLarge(large, threadModes, peer);
  const attentionFunction = values.attention as AttentionFunction;
  if (!ATTENTION_FUNCTIONS.includes(attentionFunction)) {
    throw new Error(`--attention must be ${ATTENTION_FUNCTIONS.join(' or ')}`);
  }
  await mainDefault(epochs, backend, threadModes, data, values, peer, attentionFunction);
}

async function mainDefault(
  epochs: number,
  backend: BenchJob['backend'],
  threadModes: (1 | 2)[],
  data: string,
  values: { translations: string; nice: string },
  peer: { python: string; threads: number; nice: number } | null,
  attentionFunction: AttentionFunction,
): Promise<void> {
  const h = { ...DEFAULT_HYPERPARAMETERS, numEpochs: epochs, attentionFunction };
  console.log(
    `bench: ${epochs} epochs, ${h.numExamples} pairs, batch ${h.batchSize}, backend ${backend}, ` +
      `${attentionFunction} attention, threads ${threadModes.join('+')}${peer ? ', then PyTorch' : ''}`,
  );
  const runs: TsRun[] = [];
  for (const threads of threadModes) {
    runs.push(
      await runTs({
        corpus: data,
        hyperparameters: h,
        backend,
        threads,
        translationRuns: Number(values.translations),
        nice: Number(values.nice),
      }),
    );
  }
  let torch: TorchRun | null = null;
  if (peer) {
    console.log(`  [pytorch] ${peer.python} test/reference/train_book.py --epochs ${epochs}`);
    torch = await runTorch({ ...peer, data, epochs, attention: attentionFunction });
    console.log(blasLine(torch));
  }
  defaultReport(epochs, backend, runs, torch);
}

main().catch((err: unknown) => {
  console.error(`bench failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
