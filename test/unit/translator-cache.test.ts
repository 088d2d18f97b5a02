/**
 * The worker's Translator keeps the checkpoint it loaded and, between saves, answers requests
 * without reading the manifest again: a stat of the manifest (inode, size, modification time)
 * tells it the file is the one it read; a save (a new manifest renamed in) is noticed.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { MANIFEST_FILE } from '../../src/checkpoint/checkpoint';
import { Translator } from '../../src/worker/translator';
import { saveTiny, tinyModel } from '../helpers/checkpointFiles';
import { WASM_DIR } from '../helpers/startMessage';
import { TINY_HYPERPARAMETERS } from '../helpers/tinyModel';

describe('Translator: the loaded checkpoint', function () {
  this.timeout(60_000);
  let dir: string;

  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'tae-translator-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const target = () => ({
    checkpointDir: dir,
    positionMode: 'correct' as const,
    backend: 'wasm' as const,
    wasmDir: WASM_DIR,
    gpuModulePaths: [],
  });

  async function save(seed: number): Promise<void> {
    const model = tinyModel(TINY_HYPERPARAMETERS, seed);
    try {
      await saveTiny(dir, model, TINY_HYPERPARAMETERS);
    } finally {
      model.dispose();
    }
  }

  it('is not read again while its manifest file is unchanged, and reloaded after a save', async () => {
    await save(1);
    const manifest = path.join(dir, MANIFEST_FILE);
    const when = new Date('2026-01-01T00:00:00Z');
    utimesSync(manifest, when, when);
    const translator = new Translator();
    const first = await translator.model(target());
    // The same file, the same size and time, other bytes: a translator that read the manifest
    // on every request would now fail ("not valid JSON").
    const bytes = readFileSync(manifest);
    writeFileSync(manifest, '#'.repeat(bytes.length));
    utimesSync(manifest, when, when);
    assert.equal(await translator.model(target()), first);
    writeFileSync(manifest, bytes); // the save below checks what the folder holds
    // A save renames a new manifest in: the translator loads the new checkpoint.
    await save(2);
    const second = await translator.model(target());
    assert.notEqual(second, first);
    assert.equal(await translator.model(target()), second);
    second.model.dispose();
  });
});
