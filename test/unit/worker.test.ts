/**
 * The training worker as the extension host drives it: a real worker_threads thread running the
 * TypeScript sources through tsx, talking the protocol of src/shared/protocol.ts.
 */
import { strict as assert } from 'node:assert';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { WorkerClient } from '../../src/host/workerClient';
import type { StartTrainingMessage, WorkerToHost } from '../../src/shared/protocol';
import { RUN_METRICS_KEYS } from '../helpers/runRecords';
import { SHARED_FRA_TXT } from '../helpers/sharedCorpus';
import { tinyStartMessage, WASM_DIR } from '../helpers/startMessage';

const WORKER = path.join(__dirname, '../../src/worker/trainingWorker.ts');

function startMessage(dir: string, corpusPath: string, epochs: number): StartTrainingMessage {
  return tinyStartMessage(epochs, {
    corpusPath,
    checkpointDir: path.join(dir, 'model'),
    threads: '2', // the data-parallel path, as 'auto' picks on two cores
  });
}

function waitFor(client: WorkerClient, type: WorkerToHost['type'], seen: WorkerToHost[]) {
  return new Promise<WorkerToHost>((resolve, reject) => {
    const off = client.onMessage((m) => {
      seen.push(m);
      if (m.type === type) {
        off();
        resolve(m);
      } else if (m.type === 'error') {
        off();
        reject(new Error(m.message));
      }
    });
  });
}

describe('training worker (worker_threads)', function () {
  this.timeout(120_000);
  let dir: string;
  let client: WorkerClient;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'tae-worker-'));
    client = new WorkerClient(WORKER, ['--require', 'tsx/cjs']);
  });
  afterEach(async () => {
    await client.terminate();
    rmSync(dir, { recursive: true, force: true });
  });

  it('trains, streams epochs and attention snapshots, saves a checkpoint, then translates', async () => {
    const seen: WorkerToHost[] = [];
    const done = waitFor(client, 'trainingDone', seen);
    client.send(startMessage(dir, SHARED_FRA_TXT, 4));
    const result = await done;
    assert.equal(result.type, 'trainingDone');
    if (result.type !== 'trainingDone') return;
    const backend = seen.find((m) => m.type === 'backendSelected');
    assert.ok(backend && backend.type === 'backendSelected' && backend.backend.name === 'wasm');
    const epochs = seen
      .filter((m) => m.type === 'epoch')
      .map((m) => (m.type === 'epoch' ? m.point.epoch : 0));
    assert.deepEqual(epochs, [1, 2, 3, 4]);
    // Batch progress: throttled, but the first batch of the run and the start of the held-out
    // pairs always go out; 41 pairs in batches of 16 make 3 batches per epoch.
    const progress = seen.flatMap((m) => (m.type === 'batchProgress' ? [m.progress] : []));
    const train = progress.filter((p) => p.phase === 'train');
    assert.deepEqual(
      [train[0].epoch, train[0].done, train[0].total, train[0].numEpochs],
      [1, 1, 3, 4],
    );
    for (const p of train) assert.ok(p.done >= 1 && p.done < 3 && p.epoch <= 4);
    const firstEpoch = seen.findIndex((m) => m.type === 'epoch');
    assert.ok(seen.findIndex((m) => m.type === 'batchProgress') < firstEpoch);
    const heldOut = progress.filter((p) => p.phase === 'heldOut');
    assert.deepEqual([heldOut[0].done, heldOut[0].total, heldOut[0].epoch], [0, 10, 4]);
    assert.ok(heldOut.every((p) => p.done < 10));
    const snapshots = seen.filter((m) => m.type === 'snapshot');
    assert.deepEqual(
      snapshots.map((m) => (m.type === 'snapshot' ? m.snapshot.epoch : 0)),
      [1, 2, 4],
    );
    const first = snapshots[0].type === 'snapshot' ? snapshots[0].snapshot.maps : null;
    assert.equal(first?.encoderSelf.length, 1); // one layer
    assert.equal(first?.encoderSelf[0].length, 2); // two heads
    assert.deepEqual(first?.targetInputTokens.slice(0, 1), ['<bos>']);
    assert.equal(result.seeds.length, 4);
    assert.equal(result.heldOut?.count, 10);
    assert.equal(result.summary.cancelled, false);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'model', 'checkpoint.json'), 'utf8'));
    assert.deepEqual(Object.keys(manifest.metrics).sort(), RUN_METRICS_KEYS, 'as the CLI saves');
    assert.deepEqual(manifest.metrics.seeds, result.seeds);
    assert.deepEqual(manifest.metrics.heldOut, result.heldOut);

    const tsv = path.join(dir, 'pairs.txt');
    writeFileSync(tsv, 'Go.\tVa !\n');
    const items = await client.translate({
      checkpointDir: path.join(dir, 'model'),
      sentences: [{ source: 'go .' }, { source: 'i lost .', reference: "j'ai perdu ." }],
      corpusPath: tsv,
      positionMode: 'correct',
      backend: 'wasm',
      wasmDir: WASM_DIR,
      gpuModulePaths: [],
      decoding: { kind: 'greedy' },
    });
    assert.equal(items.length, 2);
    assert.equal(items[0].reference, 'va !'); // looked up in the corpus file
    assert.equal(typeof items[0].bleu, 'number');
    assert.equal(items[1].reference, "j'ai perdu .");
    assert.notEqual(items[0].id, items[1].id);
    assert.equal(items[0].attention.encoderSelf[0][0].length, 8); // numSteps queries
    assert.equal(items[0].candidates, undefined, 'greedy items have no candidates');
    assert.equal(items[0].decoding, 'greedy');

    const [beam] = await client.translate({
      checkpointDir: path.join(dir, 'model'),
      sentences: [{ source: 'go .' }],
      corpusPath: tsv,
      positionMode: 'correct',
      backend: 'wasm',
      wasmDir: WASM_DIR,
      gpuModulePaths: [],
      decoding: { kind: 'beam', beamSize: 3, alpha: 0.75 },
    });
    const candidates = beam.candidates ?? [];
    assert.ok(candidates.length >= 1 && candidates.length <= 3, `${candidates.length} candidates`);
    assert.equal(beam.translation, candidates[0].translation, 'the best candidate is chosen');
    assert.equal(beam.bleu, candidates[0].bleu);
    for (const c of candidates) assert.equal(typeof c.bleu, 'number'); // reference known
    for (let i = 1; i < candidates.length; i++) {
      assert.ok(candidates[i - 1].score >= candidates[i].score, 'ranked by score');
    }
    assert.equal(beam.decoding, 'beam search (beam 3, α = 0.75)');
    assert.equal(beam.attention.outputTokens.length > 0, true);
  });

  it('stops between steps when cancelled and saves nothing', async () => {
    const seen: WorkerToHost[] = [];
    const first = waitFor(client, 'epoch', seen);
    client.send(startMessage(dir, SHARED_FRA_TXT, 500));
    await first;
    const done = waitFor(client, 'trainingDone', seen);
    client.send({ type: 'cancelTraining' });
    const result = await done;
    assert.ok(result.type === 'trainingDone' && result.summary.cancelled);
    assert.ok(result.type === 'trainingDone' && result.checkpointDir === null);
    assert.ok(!existsSync(path.join(dir, 'model')));
  });

  it('reports a missing corpus as an error message, not a crash', async () => {
    const seen: WorkerToHost[] = [];
    const failed = waitFor(client, 'trainingDone', seen).then(
      () => assert.fail('expected an error'),
      (err: Error) => err,
    );
    client.send(startMessage(dir, path.join(dir, 'nope.txt'), 2));
    const err = await failed;
    assert.match(String(err), /nope\.txt/);
    assert.ok(client.alive);
  });

  it('refuses a checkpoint folder the save would refuse, before training', async () => {
    const seen: WorkerToHost[] = [];
    const failed = waitFor(client, 'trainingDone', seen).then(
      () => assert.fail('expected an error'),
      (err: Error) => err,
    );
    mkdirSync(path.join(dir, 'model'));
    writeFileSync(path.join(dir, 'model', 'report.docx'), 'mine');
    client.send(startMessage(dir, SHARED_FRA_TXT, 2));
    const err = await failed;
    assert.match(String(err), /refusing to save a checkpoint here: .*\(report\.docx\)/);
    assert.deepEqual(
      seen.map((m) => m.type),
      ['error'],
      'no backend chosen, no epoch trained',
    );
    assert.deepEqual(readdirSync(path.join(dir, 'model')), ['report.docx']);
  });

  it('answers a message of an unknown type, even one named like an Object member, with an error', async () => {
    for (const type of ['noSuchMessage', 'toString', '__proto__']) {
      const seen: WorkerToHost[] = [];
      const answered = waitFor(client, 'error', seen);
      client.send({ type } as unknown as StartTrainingMessage);
      const m = await answered;
      assert.ok(m.type === 'error', type);
      assert.equal(m.message, `Unknown message {"type":"${type}"}`);
    }
  });

  it('rejects a translate request for a directory without a checkpoint', async () => {
    await assert.rejects(
      client.translate({
        checkpointDir: path.join(dir, 'missing'),
        sentences: [{ source: 'go .' }],
        positionMode: 'correct',
        backend: 'cpu',
        wasmDir: WASM_DIR,
        gpuModulePaths: [],
        decoding: { kind: 'greedy' },
      }),
      /no checkpoint\.json/,
    );
  });
});
