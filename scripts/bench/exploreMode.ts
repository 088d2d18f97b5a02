/**
 * `npm run bench -- --explore`: issue 13's speed goals, measured as the extension meets them.
 * Builds the bundles, trains the default model with the worker bundle (or takes `--model DIR`,
 * e.g. `node dist/cli.js train --out DIR`), then, through a fresh worker and the host's
 * WorkerClient: `--clicks` masked re-translations with different heads off (host round trip:
 * median and p95 against 50 ms, with the worker's own share and a plain translation of the same
 * sentence beside it) and head importance over `--count` held-out pairs (wall time and the
 * progress messages seen, against 30 s). Then the webview's share of a click, from the browser
 * harness (test/webview/flows/maskTiming.flow.ts), added to the host's for the total.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { ModelTarget } from '../../src/shared/protocol';
import { Webview, report } from './exploreReport';
import { WorkerClient } from '../../src/host/workerClient';
import { Click, DIST, Importance, SENTENCES, WORKER } from './exploreWorker';
import { click, importance, trainDefault } from './exploreWorker';
import { fmt, loadText } from './table';

const ROOT = path.resolve(__dirname, '../..');
/** Clicks before the measured ones (the first masked request warms the decoder's kernels). */
const WARM_UP = 4;

const OPTIONS = {
  explore: { type: 'boolean' },
  model: { type: 'string' },
  data: { type: 'string', default: path.resolve(ROOT, '../shared/data/fra-eng/fra.txt') },
  backend: { type: 'string', default: 'auto' },
  epochs: { type: 'string', default: '200' },
  clicks: { type: 'string', default: '60' },
  count: { type: 'string', default: '200' },
  'skip-webview': { type: 'boolean', default: false },
  'no-build': { type: 'boolean', default: false },
} as const;

/** A worker answering as the Translations service's does, with its first reply's time. */
export async function translationWorker(target: ModelTarget, corpusPath: string) {
  const client = new WorkerClient(WORKER);
  const t0 = performance.now();
  const items = await client.translate({
    ...target,
    sentences: SENTENCES.map((source) => ({ source })),
    corpusPath,
    decoding: { kind: 'greedy' },
  });
  return { client, items, firstMs: performance.now() - t0 };
}

async function webviewSide(skip: boolean): Promise<Webview> {
  if (skip) return { skipped: '--skip-webview' };
  // Loaded here: the harness brings playwright and tfjs (its fixtures) into this thread.
  const { CHROMIUM, runHarness } = await import('../../test/webview/harness');
  if (!existsSync(CHROMIUM)) return { skipped: `no Chromium at ${CHROMIUM}` };
  const r = await runHarness({
    build: false,
    screenshots: false,
    only: ['attention panel: mask timing'],
    log: () => undefined,
  });
  if (r.failures.length) throw new Error(`webview harness: ${r.failures.join('; ')}`);
  const mask = Object.entries(r.timings).filter(([name]) => name.startsWith('mask'));
  return { timings: Object.fromEntries(mask) };
}

export async function mainExplore(argv: string[]): Promise<void> {
  const { values: o } = parseArgs({ args: argv, options: OPTIONS });
  const count = Number(o.count);
  const clicks = Number(o.clicks);
  if (!(Number.isInteger(clicks) && clicks >= 1 && Number.isInteger(count) && count >= 1)) {
    throw new Error('--clicks and --count: whole numbers >= 1');
  }
  const data = path.resolve(o.data);
  if (!existsSync(data)) throw new Error(`Corpus not found: ${data}`);
  const backend = o.backend as ModelTarget['backend'];
  const loadBefore = loadavg();
  console.log(`bench --explore: backend ${backend}; ${loadText(loadBefore, cpus().length)}`);
  if (!o['no-build']) execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT });
  const checkpointDir = o.model
    ? path.resolve(o.model)
    : path.join(ROOT, '.cache', 'bench-explore', 'model');
  const trained = o.model
    ? null
    : await trainDefault(data, checkpointDir, Number(o.epochs), backend);
  if (trained) {
    console.log(
      `  trained the default model (${o.epochs} epochs) in ${fmt(trained.seconds)} s on ` +
        `${trained.backend}, loss ${trained.lossPerToken.toFixed(4)}: ${checkpointDir}`,
    );
  }
  const target: ModelTarget = {
    checkpointDir,
    positionMode: 'correct',
    backend,
    wasmDir: DIST,
    gpuModulePaths: [],
  };
  const { client, items, firstMs } = await translationWorker(target, data);
  const all: Click[] = [];
  let heads: Importance;
  try {
    for (let i = 0; i < WARM_UP + clicks; i++) all.push(await click(client, target, items, i));
    heads = await importance(client, target, data, count);
  } finally {
    await client.terminate();
  }
  const webview = await webviewSide(o['skip-webview']);
  report({ trained, firstMs, clicks: all, warmUp: WARM_UP, heads, webview, loadBefore });
}
