/**
 * Open Model… reads the file in the worker thread (src/host/workerClient.ts readModelFile): a
 * model comes back as checkpoint contents; a hostile or mismatched file comes back as an error
 * naming what is wrong, and the worker stays up for the next request.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readCheckpointFiles } from '../../src/checkpoint/readCheckpoint';
import { commitCheckpoint } from '../../src/checkpoint/commit';
import { WorkerClient } from '../../src/host/workerClient';
import { importedFrom } from '../../src/interop/checkpointModel';
import { INTEROP_FIXTURES, expectedModels } from '../helpers/interopFixtures';
import { TempDirs } from '../helpers/tempDir';

const WORKER = path.join(__dirname, '../../src/worker/trainingWorker.ts');

describe('reading model files in the worker', function () {
  this.timeout(60_000);
  const temp = new TempDirs();
  let client: WorkerClient;
  before(() => {
    client = new WorkerClient(WORKER, ['--require', 'tsx/cjs']);
  });
  after(async () => {
    await client.terminate();
    temp.cleanup();
  });

  it('answers with checkpoint contents that commit as a checkpoint of the file', async () => {
    const file = path.join(INTEROP_FIXTURES, 'other-additive.safetensors');
    const read = await client.readModelFile(file);
    assert.equal(read.format, 'safetensors');
    assert.equal(importedFrom(read.contents.metrics), file);
    const h = read.contents.hyperparameters;
    assert.deepEqual(
      [h.numLayers, h.numHeads, h.numHiddens, h.attentionFunction, h.numSteps],
      [3, 4, 8, 'additive', 10],
    );
    const dir = path.join(temp.make(), 'ck');
    await commitCheckpoint(dir, read.contents, read.bytes);
    const { manifest } = await readCheckpointFiles(dir);
    const expected = expectedModels()['other-additive'];
    assert.deepEqual(
      manifest.weights.map((w) => [w.name, w.shape]),
      expected.params.map(([name, shape]) => [name, shape]),
    );
  });

  it('answers a hostile file with an error naming the refused global; the worker stays up', async () => {
    await assert.rejects(
      client.readModelFile(path.join(INTEROP_FIXTURES, 'os-system.pt')),
      /os-system\.pt: .*posix\.system/,
    );
    const dir = temp.make();
    const sidecarless = path.join(dir, 'model.safetensors');
    fs.copyFileSync(path.join(INTEROP_FIXTURES, 'tiny-dot.safetensors'), sidecarless);
    await assert.rejects(client.readModelFile(sidecarless), /model\.json does not exist/);
    assert.ok(client.alive);
    const read = await client.readModelFile(path.join(INTEROP_FIXTURES, 'tiny-dot.pt'));
    assert.equal(read.contents.hyperparameters.numLayers, 2);
  });

  it('names the tensor and both shapes when the parameters do not fit', async () => {
    // tiny-dot's target vocabulary one token short of its embedding's rows.
    const dir = temp.make();
    fs.copyFileSync(
      path.join(INTEROP_FIXTURES, 'tiny-dot.safetensors'),
      path.join(dir, 'model.safetensors'),
    );
    const sidecar = JSON.parse(
      fs.readFileSync(path.join(INTEROP_FIXTURES, 'tiny-dot.json'), 'utf8'),
    );
    fs.writeFileSync(
      path.join(dir, 'model.json'),
      JSON.stringify({ ...sidecar, tgt_vocab: sidecar.tgt_vocab.slice(0, -1) }),
    );
    await assert.rejects(
      client.readModelFile(path.join(dir, 'model.safetensors')),
      /model\.safetensors: tgt_vocab has 10 tokens, but decoder\.embedding\.weight \[11,8\] has 11 rows/,
    );
  });
});
