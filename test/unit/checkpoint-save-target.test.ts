/**
 * Where a checkpoint may be saved (issue 10, item 1): only into a folder that is absent, empty,
 * or holds a checkpoint of this format. Anything else is refused with nothing written, and a
 * save never removes files the format does not own.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  LEGACY_WEIGHTS_FILE,
  MANIFEST_FILE,
  checkSaveTarget,
  loadCheckpoint,
  readManifest,
} from '../../src/checkpoint/checkpoint';
import { Hyperparameters } from '../../src/config/hyperparameters';
import { Transformer } from '../../src/model/transformer';
import { V1_FIXTURE, namesIn, rejectsWith, saveTiny, tinyModel } from '../helpers/checkpointFiles';
import { TempDirs } from '../helpers/tempDir';
import { TINY_HYPERPARAMETERS, paramValues, useCpuBackend } from '../helpers/tinyModel';

const H: Hyperparameters = { ...TINY_HYPERPARAMETERS, seed: 0 };

/** Every file under `dir` with its content, to show nothing changed. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const p = path.join(e.parentPath, e.name);
    out[path.relative(dir, p)] = e.isFile() ? fs.readFileSync(p, 'base64') : '(folder)';
  }
  return out;
}

describe('checkpoint save target (the write-safety rule)', () => {
  const temp = new TempDirs();
  let model: Transformer;

  before(async () => {
    await useCpuBackend();
    model = tinyModel(H, 11);
  });

  after(() => {
    model.dispose();
    temp.cleanup();
  });

  const save = (dir: string) => saveTiny(dir, model, H);

  /** A scratch project: a file and a source folder. */
  function project(): string {
    const dir = temp.make();
    fs.writeFileSync(path.join(dir, 'a.txt'), 'my notes');
    fs.mkdirSync(path.join(dir, 'src'));
    fs.writeFileSync(path.join(dir, 'src', 'main.ts'), 'export {};');
    return dir;
  }

  it('refuses a project folder, naming it and what is in it, and leaves it as it was', async () => {
    const dir = project();
    const before = snapshot(dir);
    await rejectsWith(
      save(dir),
      dir,
      /refusing to save a checkpoint here: the folder holds 2 items that are not part of a checkpoint of this extension \(a\.txt, src\/\)\. Nothing was written/,
    );
    assert.deepEqual(snapshot(dir), before);
  });

  it('names at most five of the items', async () => {
    const dir = temp.make();
    for (let i = 0; i < 8; i++) fs.writeFileSync(path.join(dir, `f${i}.txt`), '');
    await rejectsWith(
      checkSaveTarget(dir),
      dir,
      /holds 8 items .*\(f0\.txt, f1\.txt, f2\.txt, f3\.txt, f4\.txt, and 3 more\)/,
    );
  });

  it('refuses a regular file at the path and leaves it as it was', async () => {
    const file = path.join(temp.make(), 'model');
    fs.writeFileSync(file, 'not a folder');
    await rejectsWith(
      save(file),
      file,
      /refusing to save a checkpoint here: it is a file, not a folder/,
    );
    assert.equal(fs.readFileSync(file, 'utf8'), 'not a folder');
  });

  it("refuses another program's checkpoint.json, or a lone damaged one", async () => {
    const dir = temp.make();
    fs.writeFileSync(path.join(dir, MANIFEST_FILE), '{"format": "someone-else", "epoch": 3}');
    fs.writeFileSync(path.join(dir, 'weights.bin'), 'theirs');
    const before = snapshot(dir);
    await rejectsWith(
      save(dir),
      dir,
      /holds 1 item that is not part of a checkpoint .*\(checkpoint\.json\)/,
    );
    assert.deepEqual(snapshot(dir), before);
    const lone = temp.make();
    fs.writeFileSync(path.join(lone, MANIFEST_FILE), '{ half');
    await rejectsWith(save(lone), lone, /its only file, checkpoint\.json, is damaged/);
    assert.equal(fs.readFileSync(path.join(lone, MANIFEST_FILE), 'utf8'), '{ half');
  });

  it('saves into an absent folder, an empty one, or one with only desktop clutter', async () => {
    const absent = path.join(temp.make(), 'new', 'deep');
    const empty = temp.make();
    const clutter = temp.make();
    fs.writeFileSync(path.join(clutter, '.DS_Store'), '');
    for (const dir of [absent, empty, clutter]) {
      await checkSaveTarget(dir);
      const m = await save(dir);
      assert.equal((await readManifest(dir)).weightsSha256, m.weightsSha256);
    }
    assert.ok(namesIn(clutter).includes('.DS_Store'));
  });

  it("replaces a version 1 checkpoint (upgraded to version 2) and keeps the user's note", async () => {
    const dir = path.join(temp.make(), 'v1');
    fs.cpSync(V1_FIXTURE, dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'README.md'), 'trained on my laptop');
    const m = await save(dir);
    assert.equal(m.version, 2);
    assert.deepEqual(namesIn(dir), ['README.md', MANIFEST_FILE, m.weightsFile]);
    assert.ok(!namesIn(dir).includes(LEGACY_WEIGHTS_FILE), 'the old weights.bin is removed');
    assert.equal(fs.readFileSync(path.join(dir, 'README.md'), 'utf8'), 'trained on my laptop');
    const loaded = await loadCheckpoint(dir);
    try {
      assert.deepEqual(paramValues(loaded.model), paramValues(model));
    } finally {
      loaded.model.dispose();
    }
  });

  it('replaces a damaged checkpoint or the leftovers of a crashed save (only its own files)', async () => {
    const damaged = temp.make();
    fs.writeFileSync(path.join(damaged, MANIFEST_FILE), '{ not json');
    fs.writeFileSync(path.join(damaged, 'weights-0123456789abcdef.bin'), 'old');
    const leftovers = temp.make();
    fs.writeFileSync(path.join(leftovers, 'weights-fedcba9876543210.bin'), 'half');
    fs.writeFileSync(path.join(leftovers, '.checkpoint.json.tmp-1a2b3c4d'), '{');
    fs.writeFileSync(path.join(leftovers, '.weights-fedcba9876543210.bin.tmp-00ff00ff'), '');
    for (const dir of [damaged, leftovers]) {
      const m = await save(dir);
      assert.deepEqual(namesIn(dir), [MANIFEST_FILE, m.weightsFile]);
    }
  });
});
