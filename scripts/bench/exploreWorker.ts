/**
 * `npm run bench -- --explore`, the host's side: the extension's own worker bundle
 * (dist/trainingWorker.js) driven through WorkerClient with the messages the extension host
 * sends. One worker trains the default model (as Train Transformer does), a fresh one answers
 * the translations, the masked re-translations and the head scoring (as the Translations
 * service's worker does), and this thread times each request from postMessage to its reply.
 */
import * as path from 'node:path';
import { DEFAULT_HYPERPARAMETERS } from '../../src/config/hyperparameters';
import { RUN_SETTINGS } from '../../src/config/settings';
import { ATTENTION_KINDS } from '../../src/decode/attentionMaps';
import { WorkerClient, maskedRequest } from '../../src/host/workerClient';
import type {
  HeadRef,
  HeadsProgress,
  ModelTarget,
  StartTrainingMessage,
  TranslationItem,
} from '../../src/shared/protocol';

export const DIST = path.resolve(__dirname, '../../dist');
export const WORKER = path.join(DIST, 'trainingWorker.js');

/** The sentences the clicks re-translate: the book's four, whose references the corpus has. */
export const SENTENCES = ['go .', 'i lost .', "he's calm .", "i'm home ."];

export interface Trained {
  backend: string;
  seconds: number;
  lossPerToken: number;
}

/** The default model trained for `epochs` epochs into `checkpointDir` by the worker bundle. */
export async function trainDefault(
  corpusPath: string,
  checkpointDir: string,
  epochs: number,
  backend: ModelTarget['backend'],
): Promise<Trained> {
  const client = new WorkerClient(WORKER);
  const start: StartTrainingMessage = {
    type: 'startTraining',
    hyperparameters: { ...DEFAULT_HYPERPARAMETERS, numEpochs: epochs },
    backend,
    corpusPath,
    checkpointDir,
    wasmDir: DIST,
    gpuModulePaths: [],
    positionMode: RUN_SETTINGS.positionMode.default,
    probe: { source: "i'm home .", target: 'je suis chez moi .' },
    snapshotEvery: RUN_SETTINGS.snapshotEvery.default,
    heldOutCount: RUN_SETTINGS.heldOutCount.default,
    threads: RUN_SETTINGS.trainingThreads.default,
  };
  let backendName = backend as string;
  try {
    return await new Promise<Trained>((resolve, reject) => {
      client.onMessage((m) => {
        if (m.type === 'backendSelected') backendName = m.backend.name;
        else if (m.type === 'epoch' && m.point.epoch % 50 === 0) {
          console.log(`  [train] epoch ${m.point.epoch}: loss ${m.point.lossPerToken.toFixed(4)}`);
        } else if (m.type === 'trainingDone') {
          const { seconds, lossPerToken } = m.summary;
          resolve({ backend: backendName, seconds, lossPerToken });
        } else if (m.type === 'error') reject(new Error(m.message));
      });
      client.send(start);
    });
  } finally {
    await client.terminate();
  }
}

/** Every head of the model whose maps `item` carries, kind by kind, layer by layer. */
export function headsOf(item: TranslationItem): HeadRef[] {
  return ATTENTION_KINDS.flatMap((kind) =>
    item.attention[kind].flatMap((heads, layer) => heads.map((_, head) => ({ kind, layer, head }))),
  );
}

/** Click `i`'s heads: one off for the first round over the heads, then two, three… adjacent. */
export function offForClick(heads: HeadRef[], i: number): HeadRef[] {
  const k = Math.min(heads.length, 1 + Math.floor(i / heads.length));
  return Array.from({ length: k }, (_, j) => heads[(7 * i + j) % heads.length]);
}

export interface Click {
  /** Host postMessage → reply, ms. */
  roundTripMs: number;
  /** translateMasked inside the worker (the reply's `milliseconds`). */
  workerMs: number;
  /** A plain translate request for the same sentence, right after. */
  plainMs: number;
}

/** Click `i`: a masked re-translation of one of `items`, then the plain one for comparison. */
export async function click(
  client: WorkerClient,
  target: ModelTarget,
  items: TranslationItem[],
  i: number,
): Promise<Click> {
  const item = items[i % items.length];
  const off = offForClick(headsOf(item), i);
  let t0 = performance.now();
  const reply = await client.request(maskedRequest(target, item, off));
  const roundTripMs = performance.now() - t0;
  t0 = performance.now();
  await client.translate({
    ...target,
    sentences: [{ source: item.source }],
    decoding: { kind: 'greedy' },
  });
  const plainMs = performance.now() - t0;
  return { roundTripMs, workerMs: reply.result.milliseconds, plainMs };
}

export interface Importance {
  wallSeconds: number;
  /** The report's own `seconds` (the scoring inside the worker). */
  workerSeconds: number;
  pairs: number;
  heads: number;
  progressMessages: number;
  firstProgressSeconds: number | null;
  longestProgressGapSeconds: number;
}

/** Head importance over `count` held-out pairs through scoreHeads, as Score Heads asks it. */
export async function importance(
  client: WorkerClient,
  target: ModelTarget,
  corpusPath: string,
  count: number,
): Promise<Importance> {
  const t0 = performance.now();
  const stamps: number[] = [];
  const onProgress = (p: HeadsProgress) => {
    stamps.push(performance.now());
    if (p.done === p.total || stamps.length % 10 === 1) {
      console.log(`  [heads] ${p.phase} ${p.done}/${p.total}`);
    }
  };
  const report = await client.scoreHeads({ ...target, corpusPath, count }, { onProgress });
  const end = performance.now();
  const times = [t0, ...stamps, end];
  const gaps = times.slice(1).map((t, i) => t - times[i]);
  return {
    wallSeconds: (end - t0) / 1000,
    workerSeconds: report.seconds,
    pairs: report.count,
    heads: report.heads.length,
    progressMessages: stamps.length,
    firstProgressSeconds: stamps.length ? (stamps[0] - t0) / 1000 : null,
    longestProgressGapSeconds: Math.max(...gaps) / 1000,
  };
}
