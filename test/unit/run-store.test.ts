/** The run history on disk: add, list, delete, size limit, current run, damaged folders. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { commitCheckpoint } from '../../src/checkpoint/commit';
import { readCheckpointFiles } from '../../src/checkpoint/readCheckpoint';
import { DEFAULT_HYPERPARAMETERS } from '../../src/config/hyperparameters';
import { heldOutText, runLabel } from '../../src/runs/runLabel';
import { NewRun, RunStore } from '../../src/runs/runStore';
import { rejectsWith, weightsPath } from '../helpers/checkpointFiles';
import { sampleHeadReport } from '../helpers/headReports';
import { TempDirs } from '../helpers/tempDir';

const temp = new TempDirs();

function newRun(overrides: Partial<NewRun> = {}): NewRun {
  return {
    createdAt: '2026-11-25T10:00:00.000Z',
    status: 'finished',
    hyperparameters: { ...DEFAULT_HYPERPARAMETERS },
    positionMode: 'correct',
    backend: { name: 'wasm', label: 'WebAssembly (SIMD)', reason: 'test' },
    points: [
      {
        epoch: 1,
        numEpochs: 2,
        lossPerToken: 1.5,
        tokensPerSecond: 100,
        elapsedSeconds: 1,
        steps: 10,
      },
      {
        epoch: 2,
        numEpochs: 2,
        lossPerToken: 0.9,
        tokensPerSecond: 110,
        elapsedSeconds: 2,
        steps: 20,
      },
    ],
    summary: {
      epochsCompleted: 2,
      lossPerToken: 0.9,
      tokensPerSecond: 105,
      seconds: 2,
      cancelled: false,
    },
    seeds: [{ source: 'go .', reference: 'va !', translation: 'va !', bleu: 1, unknownTokens: [] }],
    heldOut: { count: 10, meanBleu2: 0.2, corpusBleu4: 0.1 },
    ...overrides,
  };
}

/** A checkpoint of one `bytes`-long weight (not a model: the store never builds one), tagged. */
async function fakeCheckpoint(tag: string, bytes = 1000): Promise<string> {
  const dir = path.join(temp.make(), 'current');
  const weights = [{ name: 'w', shape: [bytes / 4], offset: 0 }];
  const vocab = ['<unk>', '<pad>', '<bos>', '<eos>'];
  const contents = {
    hyperparameters: { ...DEFAULT_HYPERPARAMETERS },
    srcVocab: vocab,
    tgtVocab: vocab,
  };
  const data = new Uint8Array(bytes).fill(tag.length);
  await commitCheckpoint(dir, { ...contents, weights, metrics: { tag } }, data);
  return dir;
}

function tagOf(dir: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(dir, 'checkpoint.json'), 'utf8')).metrics.tag;
}

describe('RunStore', () => {
  afterEach(() => temp.cleanup());

  it('keeps runs newest first, numbered, with a copy of the checkpoint and their size', async () => {
    const store = new RunStore(path.join(temp.make(), 'runs'));
    assert.deepEqual((await store.list()).runs, []);
    const a = await store.add(
      newRun(),
      await fakeCheckpoint('a'),
      new Date('2026-11-25T10:00:00Z'),
    );
    const b = await store.add(newRun({ status: 'cancelled' }), null);
    assert.equal(a.number, 1);
    assert.equal(b.number, 2);
    assert.match(a.id, /^run-1-20261125t100000$/);
    assert.ok(a.hasCheckpoint);
    assert.equal(b.hasCheckpoint, false);
    assert.ok(a.sizeBytes > 1000, `size ${a.sizeBytes} counts the weights`);
    const { runs, problems } = await store.list();
    assert.deepEqual(
      runs.map((r) => r.number),
      [2, 1],
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(runs[1].points, a.points);
    assert.equal(tagOf(store.checkpointDir(a.id)), 'a');
    const copy = await readCheckpointFiles(store.checkpointDir(a.id));
    assert.ok(Buffer.from(copy.bytes).equals(Buffer.alloc(1000, 1)), 'the weights, bit for bit');
  });

  it('makes a run current by copying its checkpoint over the current model', async () => {
    const store = new RunStore(path.join(temp.make(), 'runs'));
    const first = await store.add(newRun(), await fakeCheckpoint('first'));
    const current = await fakeCheckpoint('second');
    const second = await store.add(newRun(), current);
    await store.setCurrentRunId(second.id);
    await store.makeCurrent(first.id, current);
    assert.equal(tagOf(current), 'first');
    assert.equal(await store.currentRunId(), first.id);
    assert.deepEqual(
      fs.readdirSync(path.dirname(current)).filter((n) => n.startsWith('.')),
      [],
      'no staging folders are left behind',
    );
  });

  it('refuses to make current a run without a model, or one that does not exist', async () => {
    const store = new RunStore(path.join(temp.make(), 'runs'));
    const cancelled = await store.add(newRun({ status: 'cancelled' }), null);
    const current = await fakeCheckpoint('kept');
    await assert.rejects(
      store.makeCurrent(cancelled.id, current),
      /Run 1 has no saved model \(it was cancelled\)/,
    );
    await assert.rejects(store.makeCurrent('run-9-x', current), /no run run-9-x/);
    assert.equal(tagOf(current), 'kept');
  });

  it('refuses to copy over a folder that is not a checkpoint, and leaves it as it was', async () => {
    const store = new RunStore(path.join(temp.make(), 'runs'));
    const run = await store.add(newRun(), await fakeCheckpoint('mine'));
    const folder = temp.make();
    fs.writeFileSync(path.join(folder, 'thesis.tex'), '\\documentclass{article}');
    await rejectsWith(
      store.makeCurrent(run.id, folder),
      folder,
      /refusing to save a checkpoint here: the folder holds 1 item .*\(thesis\.tex\)/,
    );
    assert.deepEqual(fs.readdirSync(folder), ['thesis.tex']);
    assert.equal(await store.currentRunId(), null);
  });

  it('refuses to make current a damaged run checkpoint, keeping the current model', async () => {
    const store = new RunStore(path.join(temp.make(), 'runs'));
    const run = await store.add(newRun(), await fakeCheckpoint('damaged'));
    const file = weightsPath(store.checkpointDir(run.id));
    fs.writeFileSync(file, Buffer.alloc(1000, 9));
    const current = await fakeCheckpoint('kept');
    await rejectsWith(
      store.makeCurrent(run.id, current),
      store.checkpointDir(run.id),
      /weights-[0-9a-f]{16}\.bin is corrupt/,
    );
    assert.equal(tagOf(current), 'kept');
    assert.equal(await store.currentRunId(), null);
  });

  it('keeps a head report in a run record, sized, and reads it back', async () => {
    const store = new RunStore(path.join(temp.make(), 'runs'));
    const run = await store.add(newRun(), await fakeCheckpoint('a'));
    const report = sampleHeadReport(2, 4);
    const kept = await store.setHeads(run.id, report);
    assert.ok(kept.sizeBytes > run.sizeBytes, 'the report counts in the run size');
    const read = await store.get(run.id);
    assert.deepEqual(read?.heads, report);
    assert.equal(read?.sizeBytes, kept.sizeBytes);
    await assert.rejects(store.setHeads('run-99-x', report), /no run run-99-x/);
  });

  it('keeps a held-out score scored after the run (an imported model) and reads it back', async () => {
    const store = new RunStore(path.join(temp.make(), 'runs'));
    const run = await store.add({ ...newRun(), heldOut: null }, await fakeCheckpoint('a'));
    const heldOut = { count: 200, meanBleu2: 0.4125, corpusBleu4: 0.1 };
    const kept = await store.setHeldOut(run.id, heldOut);
    assert.deepEqual(kept.heldOut, heldOut);
    assert.deepEqual((await store.get(run.id))?.heldOut, heldOut);
    assert.equal((await store.get(run.id))?.points.length, run.points.length, 'the rest is kept');
    await assert.rejects(store.setHeldOut('run-99-x', heldOut), /no run run-99-x/);
  });

  it('deletes a run and forgets it as the current one', async () => {
    const store = new RunStore(path.join(temp.make(), 'runs'));
    const run = await store.add(newRun(), await fakeCheckpoint('a'));
    await store.setCurrentRunId(run.id);
    assert.equal(await store.delete(run.id), true);
    assert.equal(await store.delete(run.id), false);
    assert.deepEqual((await store.list()).runs, []);
    assert.equal(await store.currentRunId(), null);
    await assert.rejects(store.delete('../escape'), /Not a run id/);
  });

  it('deletes the oldest runs beyond the size limit, never the current one', async () => {
    const store = new RunStore(path.join(temp.make(), 'runs'));
    const runs = [];
    for (let i = 0; i < 4; i++)
      runs.push(await store.add(newRun(), await fakeCheckpoint(`r${i}`, 10_000)));
    await store.setCurrentRunId(runs[0].id);
    const one = runs[0].sizeBytes;
    const deleted = await store.enforceLimit(one * 2 + 10);
    assert.deepEqual(
      deleted.map((r) => r.number),
      [2, 3],
      'the oldest that are not current go first',
    );
    assert.deepEqual(
      (await store.list()).runs.map((r) => r.number),
      [4, 1],
    );
    assert.deepEqual(await store.enforceLimit(0, [runs[3].id]), []);
    assert.ok((await store.totalBytes()) > 0);
  });

  it('skips a damaged run folder and names it, without hiding the others', async () => {
    const root = path.join(temp.make(), 'runs');
    const store = new RunStore(root);
    await store.add(newRun(), null);
    fs.mkdirSync(path.join(root, 'run-7-bad'));
    fs.writeFileSync(path.join(root, 'run-7-bad', 'run.json'), '{ not json');
    fs.mkdirSync(path.join(root, 'run-8-empty'));
    const other = await store.add(newRun(), null);
    fs.writeFileSync(
      path.join(root, other.id, 'run.json'),
      JSON.stringify({ ...other, hyperparameters: { ...other.hyperparameters, numHeads: 0 } }),
    );
    const { runs, problems } = await store.list();
    assert.deepEqual(
      runs.map((r) => r.number),
      [1],
    );
    assert.equal(problems.length, 3);
    assert.ok(problems.some((p) => /run-7-bad\/run.json is not valid JSON/.test(p)));
    assert.ok(problems.some((p) => /run-8-empty: no run.json/.test(p)));
    assert.ok(problems.some((p) => /numHeads/.test(p)));
  });

  it("says a run's held-out BLEU, or that it has none", () => {
    assert.equal(
      heldOutText({ count: 200, meanBleu2: 0.41234, corpusBleu4: 0.1 }),
      'Held-out BLEU-2 0.412, corpus BLEU-4 0.100 on 200 pairs',
    );
    assert.equal(
      heldOutText({ count: 1, meanBleu2: 1, corpusBleu4: 1 }).endsWith('on 1 pair'),
      true,
    );
    assert.equal(heldOutText(null), 'Held-out BLEU not scored');
  });

  it('names runs for people', () => {
    const h = { ...DEFAULT_HYPERPARAMETERS };
    assert.equal(runLabel({ number: 3, hyperparameters: h }), 'Run 3 · 2 layers');
    assert.equal(
      runLabel({
        number: 4,
        hyperparameters: { ...h, numLayers: 1, attentionFunction: 'additive' },
      }),
      'Run 4 · 1 layer · additive',
    );
  });
});
