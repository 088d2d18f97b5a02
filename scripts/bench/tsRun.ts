/**
 * The bench's TypeScript side in its default mode: one experiment in a worker_threads Worker
 * (scripts/benchWorker.ts), with this thread measuring what the extension host would feel: its
 * event-loop lag while the worker trains, and resident memory.
 */
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { BenchEvent, BenchJob } from '../benchWorker';

const MB = 1024 * 1024;

export interface TsRun {
  threads: 1 | 2;
  backend: string;
  tokensPerSecond: number;
  msPerStep: number;
  trainSeconds: number;
  wallSeconds: number;
  loss: number;
  seedBleu: number[];
  translations: string[];
  translationMsMedian: number;
  translationMsP95: number;
  heatmapSpecsMs: number | null;
  lagP50Ms: number;
  lagP99Ms: number;
  lagMaxMs: number;
  tensorsPerEpoch: { first: number; last: number; max: number };
  /** Resident MB: before the worker; after epoch 1 and after the last epoch (both after a full
   * GC in the worker: retained memory); the largest seen at any epoch end (with garbage). */
  rssMB: { start: number; firstEpoch: number; end: number; peak: number };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

type EpochEvent = Extract<BenchEvent, { type: 'epoch' }>;
type DoneEvent = Extract<BenchEvent, { type: 'done' }>;

/**
 * Event-loop lag of this (the "host") thread while the worker trains: Node's histogram of
 * timer delays, plus a plain setInterval sampler as the extension host would see it.
 */
function lagSampler() {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  const lateness: number[] = [];
  let sampler: NodeJS.Timeout | null = null;
  return {
    start(): void {
      histogram.enable();
      let expected = performance.now() + 10;
      sampler = setInterval(() => {
        const now = performance.now();
        lateness.push(Math.max(0, now - expected));
        expected = now + 10;
      }, 10);
    },
    stop(): void {
      histogram.disable();
      if (sampler) clearInterval(sampler);
    },
    lag(): Pick<TsRun, 'lagP50Ms' | 'lagP99Ms' | 'lagMaxMs'> {
      const lagSorted = [...lateness].sort((a, b) => a - b);
      return {
        lagP50Ms: Math.max(histogram.percentile(50) / 1e6 - 10, percentile(lagSorted, 50)),
        lagP99Ms: Math.max(histogram.percentile(99) / 1e6 - 10, percentile(lagSorted, 99)),
        lagMaxMs: Math.max(histogram.max / 1e6 - 10, lagSorted[lagSorted.length - 1] ?? 0),
      };
    },
  };
}

type LagSampler = ReturnType<typeof lagSampler>;

/** What the worker reported before `done`. */
interface Progress {
  epochs: EpochEvent[];
  backend: string;
  /** As trained: additive attention trains on one (src/train/threads.ts). */
  threads: 1 | 2;
}

/** About ten epoch lines per run: the first, every tenth of the run, and the last. */
function logEpoch(job: BenchJob, e: EpochEvent): void {
  const every = Math.max(1, Math.round(job.hyperparameters.numEpochs / 10));
  if (e.epoch !== 1 && e.epoch % every !== 0 && e.epoch !== e.numEpochs) return;
  console.log(
    `  [${job.threads} thread(s)] epoch ${e.epoch}/${e.numEpochs}  loss ` +
      `${e.lossPerToken.toFixed(4)}  ${Math.round(e.tokensPerSecond)} tokens/s  ` +
      `${e.elapsedSeconds.toFixed(1)} s  tensors ${e.numTensors}  ` +
      `rss ${(e.rssBytes / MB).toFixed(0)} MB`,
  );
}

/** The worker's `done`, recording its progress on the way; rejects on its error or exit. */
function untilDone(
  worker: Worker,
  job: BenchJob,
  progress: Progress,
  lag: LagSampler,
): Promise<DoneEvent> {
  return new Promise<DoneEvent>((resolve, reject) => {
    worker.on('message', (e: BenchEvent) => {
      switch (e.type) {
        case 'threads':
          progress.threads = e.threads;
          return;
        case 'backend':
          progress.backend = e.name;
          console.log(`  [${job.threads} thread(s)] backend: ${e.label} (${e.reason})`);
          lag.start();
          return;
        case 'epoch':
          progress.epochs.push(e);
          logEpoch(job, e);
          return;
        case 'done':
          lag.stop();
          resolve(e);
          return;
        case 'error':
          reject(new Error(e.message));
      }
    });
    worker.on('error', reject);
    worker.on('exit', (code) => reject(new Error(`bench worker exited (code ${code})`)));
  });
}

function summary(
  done: DoneEvent,
  progress: Progress,
  lag: LagSampler,
  rss: { start: number; end: number },
  wallSeconds: number,
): TsRun {
  const ms = [...done.translationMs].sort((a, b) => a - b);
  const { epochs } = progress;
  const tensors = epochs.map((e) => e.numTensors);
  return {
    threads: progress.threads,
    backend: progress.backend,
    tokensPerSecond: done.tokensPerSecond,
    msPerStep: (done.seconds * 1000) / done.steps,
    trainSeconds: done.seconds,
    wallSeconds,
    loss: done.lossPerToken,
    seedBleu: done.seeds.map((s) => s.bleu),
    translations: done.seeds.map((s) => s.translation),
    translationMsMedian: percentile(ms, 50),
    translationMsP95: percentile(ms, 95),
    heatmapSpecsMs: done.heatmapSpecsMs,
    ...lag.lag(),
    tensorsPerEpoch: {
      first: tensors[0],
      last: tensors[tensors.length - 1],
      max: Math.max(...tensors),
    },
    rssMB: {
      start: rss.start / MB,
      firstEpoch: epochs[0].rssAfterGcBytes / MB,
      end: epochs[epochs.length - 1].rssAfterGcBytes / MB,
      peak: Math.max(rss.end, ...epochs.map((e) => e.rssBytes)) / MB,
    },
  };
}

export async function runTs(job: BenchJob): Promise<TsRun> {
  const rssStart = process.memoryUsage().rss;
  const wallStart = performance.now();
  const worker = new Worker(path.join(__dirname, '../benchWorker.ts'), {
    workerData: job,
    execArgv: ['--require', 'tsx/cjs'],
  });
  const lag = lagSampler();
  const progress: Progress = { epochs: [], backend: '?', threads: job.threads };
  try {
    const done = await untilDone(worker, job, progress, lag);
    const wallSeconds = (performance.now() - wallStart) / 1000;
    const rss = { start: rssStart, end: process.memoryUsage().rss };
    return summary(done, progress, lag, rss, wallSeconds);
  } finally {
    lag.stop();
    await worker.terminate();
  }
}
