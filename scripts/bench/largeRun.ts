/**
 * The bench's large mode (`--large`): one worker trains the first batches of one epoch over a
 * large corpus (scripts/benchWorker.ts), reporting every tenth; this thread samples the
 * process's resident memory every 50 ms (main thread, worker and helper thread together).
 */
import { cpus, loadavg } from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { DEFAULT_HYPERPARAMETERS, Hyperparameters } from '../../src/config/hyperparameters';
import type { BenchEvent, BenchJob } from '../benchWorker';
import { PeerJob, PeerLarge, TorchRun, blasLine, runTorch } from './peer';
import { bundleBenchWorker } from './bundle';
import { fmt, loadText } from './table';
import { THREAD_MEMORY_FIELDS, ThreadMemory } from '../../src/train/threadMemory';

const MB = 1024 * 1024;

/** The bench worker run from sources through tsx (`--from-source`; else bundle.ts's bundle). */
const SOURCE_WORKER = path.join(__dirname, '../benchWorker.ts');

export type LargeDone = Extract<BenchEvent, { type: 'largeDone' }>;

export interface LargeRun extends LargeDone {
  threads: 1 | 2;
  /** Resident MB before the worker started, and the largest sampled every 50 ms while it ran. */
  rssStartMB: number;
  rssPeakMB: number;
  /** RSS MB at each reported batch (flat when memory is bounded). */
  rssByBatch: [number, number][];
  /** The last batch reported before the peak was sampled (0: during the set-up). */
  rssPeakAfterBatch: number;
  /** Each thread's largest figures over the reported batches (see ThreadMemory). */
  leaderPeak: ThreadMemory | null;
  helperPeak: ThreadMemory | null;
  epochSecondsEstimate: number;
}

/** Large mode: one worker trains the first batches of an epoch; this thread samples RSS. */
export async function runLarge(job: BenchJob, workerScript = SOURCE_WORKER): Promise<LargeRun> {
  const rssStart = process.memoryUsage().rss;
  let rssPeak = rssStart;
  let rssPeakAfterBatch = 0;
  const log = new BatchLog(`  [large, ${job.threads} thread(s)]`);
  const sample = () => {
    const rss = process.memoryUsage().rss;
    if (rss > rssPeak) [rssPeak, rssPeakAfterBatch] = [rss, log.lastBatch];
  };
  const sampler = setInterval(sample, 50);
  const worker = new Worker(workerScript, {
    workerData: job,
    execArgv: workerScript.endsWith('.ts') ? ['--require', 'tsx/cjs'] : [],
  });
  try {
    const done = await new Promise<LargeDone>((resolve, reject) => {
      worker.on('message', (e: BenchEvent) => {
        if (e.type === 'backend') console.log(`${log.tag} backend: ${e.label} (${e.reason})`);
        else if (e.type === 'batch') log.batch(e);
        else if (e.type === 'largeDone') resolve(e);
        else if (e.type === 'error') reject(new Error(e.message));
      });
      worker.on('error', reject);
      worker.on('exit', (code) => reject(new Error(`bench worker exited (code ${code})`)));
    });
    sample();
    return {
      ...done,
      threads: job.threads,
      rssStartMB: rssStart / MB,
      rssPeakMB: rssPeak / MB,
      rssByBatch: log.rssByBatch,
      rssPeakAfterBatch,
      leaderPeak: log.leaderPeak,
      helperPeak: log.helperPeak,
      epochSecondsEstimate:
        done.setupSeconds + (done.steadyMsPerStep * done.batchesPerEpoch) / 1000,
    };
  } finally {
    clearInterval(sampler);
    await worker.terminate();
  }
}

/** The batch reports of one run: printed as they come, RSS and each thread's largest figures. */
class BatchLog {
  lastBatch = 0;
  readonly rssByBatch: [number, number][] = [];
  leaderPeak: ThreadMemory | null = null;
  helperPeak: ThreadMemory | null = null;

  constructor(readonly tag: string) {}

  batch(e: Extract<BenchEvent, { type: 'batch' }>): void {
    this.lastBatch = e.done;
    this.rssByBatch.push([e.done, Math.round(e.rssBytes / MB)]);
    this.leaderPeak = maxMemory(this.leaderPeak, e.leader);
    this.helperPeak = maxMemory(this.helperPeak, e.helper);
    console.log(
      `${this.tag} batch ${e.done}/${e.total}  ${Math.round(e.tokens / e.elapsedSeconds)} ` +
        `tokens/s  ${e.elapsedSeconds.toFixed(1)} s  rss ${(e.rssBytes / MB).toFixed(0)} MB` +
        `; leader ${memoryText(e.leader)}` +
        (e.helper ? `; helper ${memoryText(e.helper)}` : ''),
    );
  }
}

export interface LargeOptions {
  numExamples: number;
  maxBatches: number;
  nice: number;
  backend: BenchJob['backend'];
  data: string;
  /** Run the worker from sources through tsx, not bundled as the extension ships it. */
  fromSource?: boolean;
}

/** The bundle of bench.ts's worker, made once per bench run (bundle.ts). */
let bundled: Promise<string> | null = null;

/** One large-mode run on `threads` threads, with its epoch time extrapolated. */
export async function largeTs(
  o: LargeOptions,
  threads: 1 | 2,
  h: Hyperparameters,
): Promise<LargeRun> {
  const script = o.fromSource ? SOURCE_WORKER : await (bundled ??= bundleBenchWorker());
  return runLarge(
    {
      corpus: o.data,
      hyperparameters: { ...h, numExamples: o.numExamples, numEpochs: 1 },
      backend: o.backend,
      threads,
      translationRuns: 0,
      nice: o.nice,
      maxBatches: o.maxBatches,
      reportEvery: Math.max(1, Math.round(o.maxBatches / 10)),
    },
    script,
  );
}

/** `--large`: the TypeScript runs, then the peer (unless null) on the same batches. */
export async function mainLarge(
  o: LargeOptions,
  threadModes: (1 | 2)[],
  peer: Omit<PeerJob, 'data' | 'epochs'> | null,
): Promise<void> {
  const h = DEFAULT_HYPERPARAMETERS;
  console.log(
    `bench --large: ${o.numExamples} (+1) pairs, batch ${h.batchSize}, the first ` +
      `${o.maxBatches} batches of one epoch, backend ${o.backend}, threads ` +
      `${threadModes.join('+')}${peer ? ', then PyTorch' : ''}, worker ` +
      `${o.fromSource ? 'from sources (tsx)' : 'bundled'}; ${loadText(loadavg(), cpus().length)}`,
  );
  const runs: LargeRun[] = [];
  for (const threads of threadModes) runs.push(await largeTs(o, threads, h));
  const torch = peer ? await largePeer(o, peer) : null;
  console.log('');
  for (const r of runs) console.log(largeLine(r, torch));
  if (torch?.large) console.log(largePeerLine(torch.large));
  console.log(JSON.stringify({ mode: 'large', ...o, runs, torch, loadavg: loadavg() }));
}

/** The peer on the same setting: the first `maxBatches` batches of one epoch. */
export async function largePeer(
  o: LargeOptions,
  peer: Omit<PeerJob, 'data' | 'epochs'>,
): Promise<TorchRun> {
  console.log(`  [pytorch] --examples ${o.numExamples} --max-batches ${o.maxBatches}`);
  const run = await runTorch({
    ...peer,
    data: o.data,
    epochs: 1,
    examples: o.numExamples,
    maxBatches: o.maxBatches,
  });
  console.log(blasLine(run));
  return run;
}

export function largePeerLine(l: PeerLarge): string {
  return (
    `PyTorch: vocabularies ${l.srcVocabSize}/${l.tgtVocabSize}, ${l.parameters} parameters; ` +
    `set-up ${fmt(l.setupSeconds)} s; ${l.batches} of ${l.batchesPerEpoch} batches; steady ` +
    `${fmt(l.steadyTokensPerSecond, 0)} tokens/s, ${fmt(l.steadyMsPerStep)} ms per step; one ` +
    `epoch ~${fmt(l.epochSecondsEstimate, 0)} s; peak RSS ${fmt(l.peakRssMB, 0)} MB`
  );
}

/** One large-mode run in a line (with its ratio to the peer where there is one). */
export function largeLine(r: LargeRun, torch: TorchRun | null): string {
  const rss = r.rssByBatch.map(([, mb]) => mb);
  return (
    `${r.threads} thread(s): ${r.pairs} pairs, vocabularies ${r.srcVocabSize}/${r.tgtVocabSize}, ` +
    `${r.parameters} parameters; set-up ${fmt(r.setupSeconds)} s; ${r.batches} of ` +
    `${r.batchesPerEpoch} batches in ${fmt(r.seconds)} s; steady ${fmt(r.steadyTokensPerSecond, 0)} ` +
    `tokens/s, ${fmt(r.steadyMsPerStep)} ms per step; one epoch ~${fmt(r.epochSecondsEstimate, 0)} ` +
    `s; RSS MB start ${fmt(r.rssStartMB, 0)}, during ${Math.min(...rss)}-${Math.max(...rss)}, ` +
    `peak ${fmt(r.rssPeakMB, 0)} (after batch ${r.rssPeakAfterBatch}), after the leader's GC ` +
    `${fmt(r.rssAfterLeaderGcBytes / MB, 0)}, after the run and a GC ` +
    `${fmt(r.rssAfterGcBytes / MB, 0)} (helper gone); wasm memory (leader) ` +
    `${r.wasmHeapBytes === null ? 'n/a' : fmt(r.wasmHeapBytes / MB, 0)} MB` +
    (torch?.large
      ? `; ${fmt(r.steadyTokensPerSecond / torch.large.steadyTokensPerSecond, 2)}x PyTorch`
      : '') +
    (r.leaderPeak ? `\n  largest per thread: leader ${memoryText(r.leaderPeak)}` : '') +
    (r.helperPeak ? `; helper ${memoryText(r.helperPeak)}` : '') +
    `\n  leader after its GC: ${memoryText(r.leaderAfterGc)}`
  );
}

/** Each figure the larger of the two (null: nothing reported). */
function maxMemory(a: ThreadMemory | null, b: ThreadMemory | null): ThreadMemory | null {
  if (!a || !b) return a ?? b;
  const m = { ...a };
  for (const k of THREAD_MEMORY_FIELDS) m[k] = Math.max(a[k], b[k]);
  return m;
}

/** A thread's figures in MB: V8 heap used/held, external (of it ArrayBuffers), wasm memory. */
export function memoryText(m: ThreadMemory): string {
  const mb = (x: number) => fmt(x / MB, 0);
  return (
    `heap ${mb(m.heapUsed)}/${mb(m.heapTotal)}, external ${mb(m.external)} ` +
    `(ArrayBuffers ${mb(m.arrayBuffers)}), wasm ${mb(m.wasm)}`
  );
}
