/**
 * Head scoring through the worker protocol (scoreHeads / headsProgress / headsResult /
 * cancelLongRequest): a real worker_threads thread running the TypeScript sources, on the tiny
 * checkpoint of test/fixtures/checkpoint-v1 (one layer, two heads: six heads in all).
 */
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { WorkerClient } from '../../src/host/workerClient';
import type { HeadsProgress, ScoreHeadsMessage } from '../../src/shared/protocol';
import { SHARED_FRA_TXT } from '../helpers/sharedCorpus';
import { WASM_DIR } from '../helpers/startMessage';

const WORKER = path.join(__dirname, '../../src/worker/trainingWorker.ts');
const CHECKPOINT = path.join(__dirname, '../fixtures/checkpoint-v1');

function request(count: number): Omit<ScoreHeadsMessage, 'type' | 'requestId'> {
  return {
    checkpointDir: CHECKPOINT,
    corpusPath: SHARED_FRA_TXT,
    count,
    positionMode: 'correct',
    backend: 'cpu',
    wasmDir: WASM_DIR,
    gpuModulePaths: [],
  };
}

describe('head scoring in the worker (scoreHeads)', function () {
  this.timeout(120_000);
  let client: WorkerClient;
  beforeEach(() => (client = new WorkerClient(WORKER, ['--require', 'tsx/cjs'])));
  afterEach(() => client.terminate());

  it('answers with every head scored, its statistics and the pruning curve, after progress', async () => {
    const progress: HeadsProgress[] = [];
    const report = await client.scoreHeads(request(30), { onProgress: (p) => progress.push(p) });
    assert.equal(report.count, 30);
    assert.equal(report.fromLine, 41, 'the pairs after the 40 training pairs (and the quirk line)');
    assert.deepEqual(
      report.heads.map((h) => `${h.kind}:${h.layer}:${h.head}`),
      ['encoderSelf:0:0', 'encoderSelf:0:1', 'decoderSelf:0:0', 'decoderSelf:0:1'].concat([
        'encoderDecoder:0:0',
        'encoderDecoder:0:1',
      ]),
    );
    for (const h of report.heads) {
      assert.ok(h.gradient >= 0 && Number.isFinite(h.bleuDrop) && Number.isFinite(h.lossIncrease));
      assert.ok(h.stats.rows > 0 && h.stats.entropy >= 0, `${h.kind} has statistics`);
    }
    assert.deepEqual(
      report.pruning.map((p) => p.k),
      [0, 1, 2, 3, 4, 5, 6],
    );
    assert.deepEqual(report.pruning[0], { k: 0, head: null, ...report.baseline });
    const last = progress.at(-1)!;
    assert.equal(last.done, last.total, 'the last progress says all done');
    assert.equal(last.total, 2 + 6 + 6);
  });

  it('stops when its signal aborts, and the worker goes on answering', async () => {
    const controller = new AbortController();
    const scoring = client.scoreHeads(request(400), {
      onProgress: () => controller.abort(),
      signal: controller.signal,
    });
    await assert.rejects(scoring, /Head scoring was cancelled/);
    const again = await client.scoreHeads(request(5));
    assert.equal(again.count, 5);
  });

  it('rejects for a folder without a checkpoint, naming what is missing', async () => {
    await assert.rejects(
      client.scoreHeads({ ...request(5), checkpointDir: path.join(CHECKPOINT, 'missing') }),
      /no checkpoint\.json/,
    );
  });
});
