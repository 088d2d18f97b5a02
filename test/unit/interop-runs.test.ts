/**
 * Open Model… and Export Model for PyTorch below the extension host: a model file becomes a
 * checkpoint and an "imported" run the worker translates with; the current checkpoint becomes
 * the files PyTorch verified; exports never overwrite unasked; the training limits apply.
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadCheckpoint } from '../../src/checkpoint/checkpoint';
import { commitCheckpoint } from '../../src/checkpoint/commit';
import { DEFAULT_HYPERPARAMETERS } from '../../src/config/hyperparameters';
import { greedyTranslate } from '../../src/decode/greedy';
import { gridShape } from '../../src/decode/attentionMaps';
import { InteropError, exportPt, importPt } from '../../src/interop';
import {
  checkpointOfImported,
  existingTargets,
  exportCheckpoint,
  exportTargets,
  importedFrom,
  importedHyperparameters,
} from '../../src/interop/checkpointModel';
import { parseRunRecord } from '../../src/runs/runRecordFile';
import { runLabel } from '../../src/runs/runLabel';
import { RunStore } from '../../src/runs/runStore';
import { ISSUE_SIZE, fixtureBytes, syntheticModel } from '../helpers/interopFixtures';
import { TempDirs } from '../helpers/tempDir';
import { useCpuBackend } from '../helpers/tinyModel';

const temp = new TempDirs();
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const verified = JSON.parse(fixtureBytes('verified-exports.json').toString('utf8')) as Record<
  string,
  string
>;

/** tiny-dot.pt (written by PyTorch) committed as a checkpoint of ours in a new folder. */
async function tinyCheckpoint(): Promise<string> {
  const dir = path.join(temp.make(), 'checkpoint');
  const { contents, bytes } = checkpointOfImported(importPt(fixtureBytes('tiny-dot.pt')));
  await commitCheckpoint(dir, contents, bytes);
  return dir;
}

describe('opening a PyTorch model as a run, and exporting runs for PyTorch', () => {
  before(useCpuBackend);
  afterEach(() => temp.cleanup());

  it('turns a .pt the book saved into a checkpoint the worker loads and translates with', async () => {
    const dir = await tinyCheckpoint();
    const ck = await loadCheckpoint(dir);
    try {
      assert.equal(ck.hyperparameters.numLayers, 2);
      assert.equal(ck.hyperparameters.numHeads, 2);
      assert.equal(ck.hyperparameters.numHiddens, 8);
      assert.equal(ck.hyperparameters.numSteps, 8);
      const t = greedyTranslate(ck.model, ck.srcVocab, ck.tgtVocab, 'va !', { numSteps: 8 });
      assert.deepEqual(gridShape(t.attention.encoderSelf).slice(0, 2), [2, 2]);
    } finally {
      ck.model.dispose();
    }
  });

  it('loads and runs a 4-layer, 256-hidden, 8-head model with 10,000-word vocabularies', async function () {
    this.timeout(120_000);
    const file = exportPt(syntheticModel(ISSUE_SIZE, 12));
    const started = performance.now();
    const imported = importPt(file);
    const readMs = performance.now() - started;
    console.log(`      read ${(file.length / 1e6).toFixed(1)} MB .pt in ${readMs.toFixed(0)} ms`);
    const dir = path.join(temp.make(), 'checkpoint');
    const { contents, bytes } = checkpointOfImported(imported);
    await commitCheckpoint(dir, contents, bytes);
    const ck = await loadCheckpoint(dir);
    try {
      const t = greedyTranslate(ck.model, ck.srcVocab, ck.tgtVocab, 'w1 w2 w3', {
        numSteps: 4, // the attention's shape is the point; each step costs a 10,000-way softmax
      });
      for (const grid of [t.attention.encoderSelf, t.attention.decoderSelf]) {
        assert.deepEqual(gridShape(grid).slice(0, 2), [4, 8]);
      }
      assert.equal(t.sourceTokens.length, 3);
    } finally {
      ck.model.dispose();
    }
  });

  it('refuses a model beyond the limits, naming the limit', () => {
    const model = importPt(fixtureBytes('tiny-dot.pt'));
    for (const [edit, pattern] of [
      [
        { numLayers: 13 },
        /numLayers \(encoder and decoder blocks\) must be at least 1 and at most 12 \(got 13\)/,
      ],
      [{ numHiddens: 2048, numHeads: 2 }, /numHiddens .* at most 1024 \(got 2048\)/],
    ] as const) {
      assert.throws(
        () => importedHyperparameters({ ...model, config: { ...model.config, ...edit } }),
        (err: Error) =>
          err instanceof InteropError &&
          /larger than this extension runs/.test(err.message) &&
          pattern.test(err.message),
      );
    }
  });

  it('keeps an imported run in the history, marked with its source file', async () => {
    const store = new RunStore(temp.make());
    const { contents, bytes } = checkpointOfImported(importPt(fixtureBytes('tiny-dot.pt')), {
      importedFrom: '/models/tiny-dot.pt',
    });
    const run = await store.addWithModel(
      {
        createdAt: '2026-12-01T10:00:00.000Z',
        status: 'finished',
        hyperparameters: contents.hyperparameters,
        positionMode: 'book',
        backend: null,
        points: [],
        summary: null,
        seeds: [],
        heldOut: null,
        imported: { file: '/models/tiny-dot.pt', format: 'pt' },
      },
      contents,
      bytes,
    );
    assert.equal(run.hasCheckpoint, true);
    const [listed] = (await store.list()).runs;
    assert.deepEqual(listed.imported, { file: '/models/tiny-dot.pt', format: 'pt' });
    assert.equal(runLabel(listed), 'Run 1 · 2 layers · tiny-dot.pt');
    const current = path.join(temp.make(), 'current');
    await store.makeCurrent(run.id, current);
    const ck = await loadCheckpoint(current);
    ck.model.dispose();
    assert.equal(importedFrom(ck.manifest.metrics), '/models/tiny-dot.pt');
  });

  it('reads run.json back only with a well-formed imported field', () => {
    const record = (imported: unknown) =>
      JSON.stringify({
        id: 'run-1-x',
        number: 1,
        createdAt: '2026-12-01T10:00:00.000Z',
        status: 'finished',
        hyperparameters: DEFAULT_HYPERPARAMETERS,
        points: [],
        seeds: [],
        imported,
      });
    assert.ok(parseRunRecord(record({ file: 'a.pt', format: 'pt' }), 'run-1-x').ok);
    assert.ok(parseRunRecord(record(undefined), 'run-1-x').ok);
    const bad = parseRunRecord(record({ file: 'a.pt', format: 'pickle' }), 'run-1-x');
    assert.ok(!bad.ok && /imported.format must be "pt" or "safetensors"/.test(bad.error));
  });

  it('exports the current checkpoint as the very files PyTorch verified', async () => {
    const dir = await tinyCheckpoint();
    const out = temp.make();
    const targets = exportTargets(out, 'tiny-dot');
    const written = await exportCheckpoint(dir, targets);
    assert.deepEqual(
      written.map((f) => path.basename(f)),
      ['tiny-dot.pt', 'tiny-dot.safetensors', 'tiny-dot.json'],
    );
    for (const file of written) {
      assert.equal(sha256(fs.readFileSync(file)), verified[path.basename(file)], file);
    }
  });

  it('never overwrites an existing file unasked, and writes nothing then', async () => {
    const dir = await tinyCheckpoint();
    const out = temp.make();
    const targets = exportTargets(out);
    fs.writeFileSync(targets.sidecar, 'my notes');
    assert.deepEqual(await existingTargets(targets), [targets.sidecar]);
    await assert.rejects(
      exportCheckpoint(dir, targets),
      (err: Error) =>
        err instanceof InteropError &&
        /model\.json already exists in .*; nothing was written/.test(err.message),
    );
    assert.deepEqual(fs.readdirSync(out), ['model.json']);
    assert.equal(fs.readFileSync(targets.sidecar, 'utf8'), 'my notes');
    await exportCheckpoint(dir, targets, { replace: true });
    assert.deepEqual(fs.readdirSync(out).sort(), ['model.json', 'model.pt', 'model.safetensors']);
  });
});
