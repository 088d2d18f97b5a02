/**
 * The training side of `npm run bench` (scripts/bench.ts): a worker_threads thread that runs the
 * book's experiment as the extension does (runExperiment: one thread, or this thread plus a
 * helper), reporting every epoch, then times greedy translations with attention capture.
 * With `maxBatches` (`--large`) it trains the first `maxBatches` mini-batches of one epoch over a
 * large corpus instead, reporting every `reportEvery` batches, and stops there.
 */
import * as os from 'node:os';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';
import type { BackendChoice } from '../src/config/choices';
import type { Hyperparameters } from '../src/config/hyperparameters';
import type { AttentionMaps } from '../src/decode/attentionMaps';
import { greedyTranslate } from '../src/decode/greedy';
import { tf } from '../src/model/tf';
import type { TrainedModel } from '../src/train/experiment';
import type { EpochReport } from '../src/train/loopTypes';
import { helperMemory } from '../src/train/parallel';
import { ExperimentEvents, ExperimentOutcome, runExperiment } from '../src/train/runExperiment';
import { ThreadMemory, threadMemory, wasmMemoryBytes } from '../src/train/threadMemory';
import { attentionSections, heatmapCount } from '../webview/specs/attentionSections';
import { heatmapSpec } from '../webview/specs/heatmap';
import { chartThemeFrom } from '../webview/specs/theme';

export interface BenchJob {
  corpus: string;
  hyperparameters: Hyperparameters;
  backend: BackendChoice;
  threads: 1 | 2;
  translationRuns: number;
  /** Nice value of the training threads (0: leave them at the host's priority). */
  nice: number;
  /** Large mode: stop after this many batches of the first epoch (no translations). */
  maxBatches?: number;
  /** Large mode: a 'batch' event every this many batches. */
  reportEvery?: number;
}

export type BenchEvent =
  | { type: 'backend'; name: string; label: string; reason: string }
  /** The threads the run trains on: two only on the wasm backend (src/train/threads.ts). */
  | { type: 'threads'; threads: 1 | 2 }
  | {
      type: 'epoch';
      epoch: number;
      numEpochs: number;
      lossPerToken: number;
      tokensPerSecond: number;
      elapsedSeconds: number;
      numTensors: number;
      rssBytes: number;
      /** After a full garbage collection (first and last epoch only; -1 otherwise). */
      rssAfterGcBytes: number;
    }
  | {
      type: 'done';
      tokensPerSecond: number;
      seconds: number;
      steps: number;
      lossPerToken: number;
      seeds: { source: string; translation: string; bleu: number }[];
      translationMs: number[];
      /** Time to build the attention panel's 24 heatmap specs; null until that builder exists. */
      heatmapSpecsMs: number | null;
    }
  | {
      type: 'batch';
      done: number;
      total: number;
      /** Target tokens of the batches so far. */
      tokens: number;
      elapsedSeconds: number;
      rssBytes: number;
      /** This (the leader's) thread and the two-thread run's helper thread, now. */
      leader: ThreadMemory;
      helper: ThreadMemory | null;
    }
  | {
      type: 'largeDone';
      pairs: number;
      srcVocabSize: number;
      tgtVocabSize: number;
      parameters: number;
      /** From the start of trainFromText to its clock: data, model (and helper thread). */
      setupSeconds: number;
      batches: number;
      batchesPerEpoch: number;
      tokens: number;
      seconds: number;
      /** Over the batches after the first tenth (compilation and warm-up left out). */
      steadyTokensPerSecond: number;
      steadyMsPerStep: number;
      /** Resident memory once the run is over and garbage collected (model still alive). */
      rssAfterGcBytes: number;
      /**
       * At the last batch, with the helper thread still running: resident memory after a full
       * garbage collection of this (the leader's) thread, and that thread's figures then.
       */
      rssAfterLeaderGcBytes: number;
      leaderAfterGc: ThreadMemory;
      /** This thread's WebAssembly memory (it grows to the largest step's need, never shrinks). */
      wasmHeapBytes: number | null;
    }
  | { type: 'error'; message: string };

const port = parentPort!;
const job = workerData as BenchJob;

function post(e: BenchEvent): void {
  port.postMessage(e);
}

/**
 * Resident memory once V8 has collected this thread's garbage: what training retains, without
 * the sawtooth of not yet collected garbage. (--expose-gc is not allowed in a Worker's execArgv;
 * a context created after setting the flag has `gc`.)
 */
function rssAfterGc(): number {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
  return process.memoryUsage().rss;
}

/** Large mode: stops after `maxBatches` batches of the first epoch, then posts the figures. */
function largeMode(maxBatches: number): Pick<
  ExperimentEvents,
  'trainingStarts' | 'batch' | 'ended'
> & {
  signal: AbortSignal;
} {
  const every = job.reportEvery ?? 100;
  const abort = new AbortController();
  let started = NaN;
  let setupSeconds = NaN;
  let last = { done: 0, total: 0, tokens: 0, elapsedSeconds: 0 };
  let warm = last;
  let rssAfterLeaderGc = NaN;
  let leaderAfterGc: ThreadMemory | null = null;
  const warmAt = Math.max(1, Math.floor(maxBatches / 10));
  return {
    signal: abort.signal,
    trainingStarts: () => (started = performance.now()),
    batch: (r) => {
      if (r.done === 1) setupSeconds = (performance.now() - started) / 1000 - r.elapsedSeconds;
      last = r;
      if (r.done === warmAt) warm = r;
      if (r.done % every === 0 || r.done === maxBatches) {
        const { done, total, tokens, elapsedSeconds } = r;
        const rssBytes = process.memoryUsage().rss;
        const [leader, helper] = [threadMemory(), helperMemory()];
        post({ type: 'batch', done, total, tokens, elapsedSeconds, rssBytes, leader, helper });
      }
      if (r.done >= maxBatches) {
        rssAfterLeaderGc = rssAfterGc();
        leaderAfterGc = threadMemory();
        abort.abort();
      }
    },
    ended: (_outcome, trained) => {
      const steadySeconds = last.elapsedSeconds - warm.elapsedSeconds;
      const steadyBatches = last.done - warm.done;
      post({
        type: 'largeDone',
        pairs: trained.pairs,
        srcVocabSize: trained.srcVocab.size,
        tgtVocabSize: trained.tgtVocab.size,
        parameters: trained.model.params.count(),
        setupSeconds,
        batches: last.done,
        batchesPerEpoch: last.total,
        tokens: last.tokens,
        seconds: last.elapsedSeconds,
        steadyTokensPerSecond: (last.tokens - warm.tokens) / steadySeconds,
        steadyMsPerStep: (1000 * steadySeconds) / steadyBatches,
        rssAfterGcBytes: rssAfterGc(),
        rssAfterLeaderGcBytes: rssAfterLeaderGc,
        leaderAfterGc: leaderAfterGc ?? threadMemory(),
        wasmHeapBytes: tf.getBackend() === 'wasm' ? wasmMemoryBytes() : null,
      });
    },
  };
}

/** Every epoch's figures, with the live tensors and resident memory after it. */
function onEpoch(r: EpochReport): void {
  post({
    type: 'epoch',
    epoch: r.epoch,
    numEpochs: r.numEpochs,
    lossPerToken: r.lossPerToken,
    tokensPerSecond: r.tokensPerSecond,
    elapsedSeconds: r.elapsedSeconds,
    numTensors: tf.memory().numTensors,
    rssBytes: process.memoryUsage().rss,
    rssAfterGcBytes: r.epoch === 1 || r.epoch === r.numEpochs ? rssAfterGc() : -1,
  });
}

/** The trained model at work: greedy translations timed, then the attention panel's specs. */
function timeTranslations({ summary, metrics }: ExperimentOutcome, trained: TrainedModel): void {
  const { model, srcVocab, tgtVocab } = trained;
  const h = job.hyperparameters;
  const seeds = metrics?.seeds ?? [];
  // Greedy translation with attention capture, as the translation panel runs it.
  const translationMs: number[] = [];
  const sentences = seeds.map((s) => s.source);
  for (let i = 0; i < 3; i++) greedyTranslate(model, srcVocab, tgtVocab, sentences[i % 4], h);
  for (let i = 0; i < job.translationRuns; i++) {
    const t0 = performance.now();
    greedyTranslate(model, srcVocab, tgtVocab, sentences[i % sentences.length], h);
    translationMs.push(performance.now() - t0);
  }
  const maps = greedyTranslate(model, srcVocab, tgtVocab, "i'm home .", h).attention;
  post({
    type: 'done',
    tokensPerSecond: summary.tokensPerSecond,
    seconds: summary.seconds,
    steps: summary.steps,
    lossPerToken: summary.lossPerToken,
    seeds: seeds.map((s) => ({ source: s.source, translation: s.translation, bleu: s.bleu ?? 0 })),
    translationMs,
    heatmapSpecsMs: timeHeatmapSpecs(maps),
  });
}

/**
 * The attention panel's specs for one captured translation: one Vega-Lite spec per layer, head
 * and kind (24 for 2 layers x 4 heads), built by the same pure functions the webview uses.
 */
function timeHeatmapSpecs(maps: AttentionMaps): number {
  const theme = chartThemeFrom(() => '', 'light');
  const buildSpecs = () => {
    let n = 0;
    for (const section of attentionSections(maps)) {
      for (const layer of section.grid) {
        for (const weights of layer) {
          heatmapSpec({ queries: section.queries, keys: section.keys, weights, theme });
          n++;
        }
      }
    }
    return n;
  };
  buildSpecs(); // warm-up
  const specStart = performance.now();
  const specCount = buildSpecs();
  const ms = performance.now() - specStart;
  if (specCount !== heatmapCount(maps)) throw new Error(`built ${specCount} heatmap specs`);
  return ms;
}

/**
 * The experiment as the extension runs it (src/train/runExperiment.ts), without held-out pairs
 * or a checkpoint; in large mode stopped after the first batches.
 */
async function main(): Promise<void> {
  // Nice 10 for this training thread (Linux: this thread only), as recommended for the
  // extension's model worker: the host thread then gets a core as soon as it wakes up.
  if (job.nice !== 0) os.setPriority(job.nice);
  const large = job.maxBatches ? largeMode(job.maxBatches) : null;
  await runExperiment(
    {
      hyperparameters: job.hyperparameters,
      backend: job.backend,
      corpusPath: job.corpus,
      threads: job.threads === 2 ? '2' : '1',
      positionMode: 'correct',
      heldOutCount: 0,
      helperNice: job.nice,
      signal: large?.signal,
    },
    {
      backendSelected: (info) =>
        post({ type: 'backend', name: info.name, label: info.label, reason: info.reason }),
      trainingStarts: (threads) => {
        post({ type: 'threads', threads });
        large?.trainingStarts?.(threads);
      },
      batch: large?.batch,
      epoch: large ? undefined : onEpoch,
      ended: large ? large.ended : timeTranslations,
    },
  );
}

main().catch((err: unknown) =>
  post({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
);
