/**
 * The training side of `npm run bench` (scripts/bench.ts): a worker_threads thread that trains the
 * book's experiment with trainFromText (one thread) or trainFromTextParallel (this thread plus a
 * helper), reporting every epoch, then times greedy translations with attention capture.
 */
import * as os from 'node:os';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';
import { BackendChoice, selectBackend } from '../src/backend/backend';
import { Hyperparameters } from '../src/config/hyperparameters';
import { readCorpusFile } from '../src/data/corpus';
import { greedyTranslate } from '../src/decode/greedy';
import { translateSeeds } from '../src/decode/seedSentences';
import { attentionSections, heatmapCount } from '../webview/specs/attentionSections';
import { heatmapSpec } from '../webview/specs/heatmap';
import { chartThemeFrom } from '../webview/specs/theme';
import { tf } from '../src/model/tf';
import { trainFromText, TrainedModel } from '../src/train/experiment';
import { trainFromTextParallel } from '../src/train/parallel';

export interface BenchJob {
  corpus: string;
  hyperparameters: Hyperparameters;
  backend: BackendChoice;
  threads: 1 | 2;
  translationRuns: number;
  /** Nice value of the training threads (0: leave them at the host's priority). */
  nice: number;
}

export type BenchEvent =
  | { type: 'backend'; name: string; label: string; reason: string }
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

async function main(): Promise<void> {
  // Nice 10 for this training thread (Linux: this thread only), as recommended for the
  // extension's training worker: the host thread then gets a core as soon as it wakes up.
  if (job.nice !== 0) os.setPriority(job.nice);
  const info = await selectBackend(job.backend);
  post({ type: 'backend', name: info.name, label: info.label, reason: info.reason });
  const text = readCorpusFile(job.corpus);
  const h = job.hyperparameters;
  const onEpoch = (r: {
    epoch: number;
    numEpochs: number;
    lossPerToken: number;
    tokensPerSecond: number;
    elapsedSeconds: number;
  }) =>
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
  const trained: TrainedModel =
    job.threads === 2
      ? await trainFromTextParallel(text, h, { onEpoch }, { helperNice: job.nice })
      : await trainFromText(text, h, { onEpoch });
  const { model, srcVocab, tgtVocab, summary } = trained;
  const seeds = translateSeeds(model, srcVocab, tgtVocab, h.numSteps);
  // Greedy translation with attention capture, as the translation panel runs it.
  const translationMs: number[] = [];
  const sentences = seeds.map((s) => s.source);
  for (let i = 0; i < 3; i++) greedyTranslate(model, srcVocab, tgtVocab, sentences[i % 4], h);
  for (let i = 0; i < job.translationRuns; i++) {
    const t0 = performance.now();
    greedyTranslate(model, srcVocab, tgtVocab, sentences[i % sentences.length], h);
    translationMs.push(performance.now() - t0);
  }
  // The attention panel's specs for one captured translation: one Vega-Lite spec per layer,
  // head and kind (24 for 2 layers x 4 heads), built by the same pure functions the webview uses.
  const maps = greedyTranslate(model, srcVocab, tgtVocab, "i'm home .", h).attention;
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
  const heatmapSpecsMs = performance.now() - specStart;
  if (specCount !== heatmapCount(maps)) throw new Error(`built ${specCount} heatmap specs`);
  post({
    type: 'done',
    tokensPerSecond: summary.tokensPerSecond,
    seconds: summary.seconds,
    steps: summary.steps,
    lossPerToken: summary.lossPerToken,
    seeds: seeds.map((s) => ({ source: s.source, translation: s.translation, bleu: s.bleu })),
    translationMs,
    heatmapSpecsMs,
  });
  model.dispose();
}

main().catch((err: unknown) =>
  post({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
);
