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

export async function runTs(job: BenchJob): Promise<TsRun> {
  const rssStart = process.memoryUsage().rss;
  const wallStart = performance.now();
  const worker = new Worker(path.join(__dirname, '../benchWorker.ts'), {
    workerData: job,
    execArgv: ['--require', 'tsx/cjs'],
  });
  // Event-loop lag of this (the "host") thread while the worker trains: Node's histogram of
  // timer delays, plus a plain setInterval sampler as the extension host would see it.
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  const lateness: number[] = [];
  let sampler: NodeJS.Timeout | null = null;
  const startSampling = () => {
    histogram.enable();
    let expected = performance.now() + 10;
    sampler = setInterval(() => {
      const now = performance.now();
      lateness.push(Math.max(0, now - expected));
      expected = now + 10;
    }, 10);
  };
  const stopSampling = () => {
    histogram.disable();
    if (sampler) clearInterval(sampler);
  };
  const epochs: Extract<BenchEvent, { type: 'epoch' }>[] = [];
  let backend = '?';
  let threads = job.threads; // as trained: additive attention trains on one (src/train/threads.ts)
  const every = Math.max(1, Math.round(job.hyperparameters.numEpochs / 10));
  try {
    const done = await new Promise<Extract<BenchEvent, { type: 'done' }>>((resolve, reject) => {
      worker.on('message', (e: BenchEvent) => {
        switch (e.type) {
          case 'threads':
            threads = e.threads;
            return;
          case 'backend':
            backend = e.name;
            console.log(`  [${job.threads} thread(s)] backend: ${e.label} (${e.reason})`);
            startSampling();
            return;
          case 'epoch':
            epochs.push(e);
            if (e.epoch === 1 || e.epoch % every === 0 || e.epoch === e.numEpochs) {
              console.log(
                `  [${job.threads} thread(s)] epoch ${e.epoch}/${e.numEpochs}  loss ` +
                  `${e.lossPerToken.toFixed(4)}  ${Math.round(e.tokensPerSecond)} tokens/s  ` +
                  `${e.elapsedSeconds.toFixed(1)} s  tensors ${e.numTensors}  ` +
                  `rss ${(e.rssBytes / MB).toFixed(0)} MB`,
              );
            }
            return;
          case 'done':
            stopSampling();
            resolve(e);
            return;
          case 'error':
            reject(new Error(e.message));
        }
      });
      worker.on('error', reject);
      worker.on('exit', (code) => reject(new Error(`bench worker exited (code ${code})`)));
    });
    const wallSeconds = (performance.now() - wallStart) / 1000;
    const rssEnd = process.memoryUsage().rss;
    const ms = [...done.translationMs].sort((a, b) => a - b);
    const lagSorted = [...lateness].sort((a, b) => a - b);
    const tensors = epochs.map((e) => e.numTensors);
    return {
      threads,
      backend,
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
      lagP50Ms: Math.max(histogram.percentile(50) / 1e6 - 10, percentile(lagSorted, 50)),
      lagP99Ms: Math.max(histogram.percentile(99) / 1e6 - 10, percentile(lagSorted, 99)),
      lagMaxMs: Math.max(histogram.max / 1e6 - 10, lagSorted[lagSorted.length - 1] ?? 0),
      tensorsPerEpoch: {
        first: tensors[0],
        last: tensors[tensors.length - 1],
        max: Math.max(...tensors),
      },
      rssMB: {
        start: rssStart / MB,
        firstEpoch: epochs[0].rssAfterGcBytes / MB,
        end: epochs[epochs.length - 1].rssAfterGcBytes / MB,
        peak: Math.max(rssEnd, ...epochs.map((e) => e.rssBytes)) / MB,
      },
    };
  } finally {
    stopSampling();
    await worker.terminate();
  }
}
