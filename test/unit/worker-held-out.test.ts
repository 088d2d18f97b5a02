/**
 * Held-out BLEU through the worker protocol (scoreHeldOut / heldOutProgress / heldOutResult /
 * cancelLongRequest), as Open Model… and Score Held-out BLEU use it: a real worker_threads thread
 * running the TypeScript sources on the tiny checkpoint of test/fixtures/checkpoint-v1 (40
 * training pairs). Its numbers are the training run's definition: evaluateRange over the pairs
 * after the training pairs, computed here in-process on the same backend.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { selectBackend } from '../../src/backend/backend';
import { loadCheckpoint } from '../../src/checkpoint/checkpoint';
import { firstUnusedLine } from '../../src/data/tokenize';
import { evaluateRange } from '../../src/decode/evaluate';
import { WorkerClient } from '../../src/host/workerClient';
import type { ScoreHeldOutMessage } from '../../src/shared/protocol';
import { SHARED_FRA_TXT, readSharedCorpus, sharedCorpusHead } from '../helpers/sharedCorpus';
import { WASM_DIR } from '../helpers/startMessage';

const WORKER = path.join(__dirname, '../../src/worker/trainingWorker.ts');
const CHECKPOINT = path.join(__dirname, '../fixtures/checkpoint-v1');

function request(count: number, corpusPath = SHARED_FRA_TXT) {
  const r: Omit<ScoreHeldOutMessage, 'type' | 'requestId'> = {
    checkpointDir: CHECKPOINT,
    corpusPath,
    count,
    positionMode: 'correct',
    backend: 'cpu',
    wasmDir: WASM_DIR,
    gpuModulePaths: [],
  };
  return r;
}

describe('held-out BLEU in the worker (scoreHeldOut)', function () {
  this.timeout(120_000);
  let client: WorkerClient;
  beforeEach(() => (client = new WorkerClient(WORKER, ['--require', 'tsx/cjs'])));
  afterEach(() => client.terminate());

  it("scores the pairs after the model's training pairs, as a training run does", async () => {
    const progress: { done: number; total: number }[] = [];
    const score = await client.scoreHeldOut(request(30), { onProgress: (p) => progress.push(p) });
    await selectBackend('cpu');
    const ck = await loadCheckpoint(CHECKPOINT);
    try {
      const h = ck.hyperparameters;
      const expected = evaluateRange(
        ck.model,
        ck.srcVocab,
        ck.tgtVocab,
        readSharedCorpus(),
        firstUnusedLine(h.numExamples),
        30,
        h.numSteps,
        'correct',
      );
      assert.deepEqual(score, expected);
      assert.equal(score.count, 30);
    } finally {
      ck.model.dispose();
    }
    assert.deepEqual(progress.at(-1), { done: 30, total: 30 }, 'the last progress: all done');
  });

  it('stops when its signal aborts, and the worker goes on answering', async () => {
    const controller = new AbortController();
    const scoring = client.scoreHeldOut(request(2000), {
      onProgress: () => controller.abort(),
      signal: controller.signal,
    });
    await assert.rejects(scoring, /Held-out scoring was cancelled/);
    const again = await client.scoreHeldOut(request(5));
    assert.equal(again.count, 5);
  });

  it('rejects, naming the line, when the corpus ends before the held-out pairs', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tae-heldout-'));
    const short = path.join(dir, 'fra.txt');
    writeFileSync(short, sharedCorpusHead(20)); // fewer lines than the 40 training pairs
    try {
      await assert.rejects(client.scoreHeldOut(request(5, short)), /no held-out pairs.*line 42/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
