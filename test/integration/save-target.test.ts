/**
 * The extension follows the write-safety rule before it trains: a current-model folder in
 * global storage that holds anything but a checkpoint makes Train Transformer fail at once,
 * naming the folder and the file, without training and without touching the folder. The corpus
 * path points nowhere: the refusal must come first, before the corpus is looked for (or
 * downloaded) and before a worker starts.
 */
import * as assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { SMALL, activeApi, configure, resetSettings, sharedCorpus } from './support/extension';

describe('training refuses a checkpoint folder that is not a checkpoint', function () {
  this.timeout(5 * 60_000);

  before(async () => {
    await resetSettings();
    await configure({ ...SMALL, corpusPath: `${sharedCorpus()}.not-there` });
  });
  after(resetSettings);

  it('fails before training, naming the folder and what is in it, and leaves it as it was', async () => {
    const api = await activeApi();
    const dir = api.checkpointDir;
    // A checkpoint saved by an earlier suite would make the folder a checkpoint's (whose other
    // files a save keeps): set it aside, so the folder holds only a stranger's file.
    const aside = `${dir}.set-aside-by-test`;
    const existed = existsSync(dir);
    if (existed) renameSync(dir, aside);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'my-notes.txt'), 'kept');
    try {
      await vscode.commands.executeCommand('transformerExplorer.train');
      await api.whenTrainingDone();
      const state = api.trainingState();
      assert.equal(state.status, 'failed', state.statusText);
      assert.ok(state.statusText.includes(dir), state.statusText);
      assert.match(
        state.statusText,
        /refusing to save a checkpoint here: the folder holds 1 item .*\(my-notes\.txt\)/,
      );
      assert.deepEqual(state.points, [], 'no epoch was trained');
      assert.equal(state.backend, null, 'no training worker was started');
      assert.deepEqual(readdirSync(dir), ['my-notes.txt']);
      assert.equal(readFileSync(path.join(dir, 'my-notes.txt'), 'utf8'), 'kept');
    } finally {
      rmSync(dir, { recursive: true, force: true });
      if (existed) renameSync(aside, dir);
    }
  });
});
