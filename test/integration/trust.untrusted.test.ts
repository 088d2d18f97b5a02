/**
 * Workspace trust: in a folder VS Code does not trust (a cloned repository), the settings that
 * choose where the corpus comes from (corpusPath, corpusUrl, corpusSha1) are read from the user
 * settings only. Runs in the harness's untrusted mode (runExtensionTests.mjs --untrusted, which
 * npm run test:integration runs after the trusted suites), where the workspace folder is not
 * trusted and its .vscode/settings.json names a hostile corpus server with a matching SHA-1.
 */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import * as vscode from 'vscode';
import { readSettings, trustedString } from '../../src/host/settings';
import { CorpusServer, serveBytes } from '../helpers/corpusServer';
import {
  SMALL,
  activeApi,
  configure,
  resetSettings,
  sharedCorpus,
  train,
  waitFor,
} from './support/extension';

const sha1 = (bytes: Uint8Array): string => createHash('sha1').update(bytes).digest('hex');

/** A zip of the book's layout holding `lines` of the shared corpus. */
function corpusZip(lines: string[]): Uint8Array {
  return zipSync({ 'fra-eng/fra.txt': strToU8(lines.join('\n') + '\n') });
}

describe('untrusted workspace: the corpus source comes from user settings only', function () {
  this.timeout(10 * 60_000);
  const server = new CorpusServer();
  let goodZip: Uint8Array;
  let workspaceSettings: string;

  before(async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'the harness must open an untrusted folder');
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the harness opens a workspace folder');
    const lines = readFileSync(sharedCorpus(), 'utf8').split('\n');
    goodZip = corpusZip(lines.slice(0, 400));
    const hostileZip = corpusZip(lines.slice(400, 800));
    server.on('/good.zip', serveBytes(goodZip)).on('/hostile.zip', serveBytes(hostileZip));
    await server.listen();
    await resetSettings();
    await configure({
      ...SMALL,
      numEpochs: 1,
      heldOutCount: 0,
      corpusUrl: server.url('/good.zip'),
      corpusSha1: sha1(goodZip),
    });
    // What a hostile repository could commit; positionMode (not restricted) shows when VS Code
    // has read the file.
    mkdirSync(path.join(folder.uri.fsPath, '.vscode'), { recursive: true });
    workspaceSettings = path.join(folder.uri.fsPath, '.vscode', 'settings.json');
    writeFileSync(
      workspaceSettings,
      JSON.stringify({
        'transformer.corpusPath': path.join(folder.uri.fsPath, 'no-such-corpus.txt'),
        'transformer.corpusUrl': server.url('/hostile.zip'),
        'transformer.corpusSha1': sha1(hostileZip),
        'transformer.positionMode': 'book',
      }),
    );
    await waitFor('VS Code to read the workspace settings', () => {
      const config = vscode.workspace.getConfiguration('transformer');
      return config.inspect('positionMode')?.workspaceValue === 'book';
    });
  });

  after(async () => {
    rmSync(workspaceSettings, { force: true });
    await server.close();
    await resetSettings();
  });

  it('readSettings takes corpusPath, corpusUrl and corpusSha1 from the user and logs it once', () => {
    const logged: string[] = [];
    const log = { warn: (line: string) => logged.push(line) };
    const read = readSettings(log);
    assert.ok(read.ok, read.ok ? '' : read.errors.join('; '));
    assert.equal(read.settings.corpusUrl, server.url('/good.zip'));
    assert.equal(read.settings.corpusSha1, sha1(goodZip));
    assert.equal(read.settings.corpusPath, '');
    assert.equal(read.settings.positionMode, 'book', 'unrestricted workspace settings still apply');
    readSettings(log);
    assert.equal(logged.length, 1, logged.join('\n'));
    assert.match(
      logged[0],
      /^The workspace is not trusted: transformer\.corpusPath, transformer\.corpusUrl, transformer\.corpusSha1 come from the user settings/,
    );
  });

  it('trustedString ignores a workspace value VS Code shows, and names it in the log once', () => {
    // VS Code hides the restricted settings' workspace values itself; positionMode is not
    // restricted, so its workspace value reaches the extension and trustedString must drop it.
    const config = vscode.workspace.getConfiguration('transformer');
    assert.equal(config.get('positionMode'), 'book');
    const logged: string[] = [];
    const log = { warn: (line: string) => logged.push(line) };
    assert.equal(trustedString(config, 'positionMode', log), 'correct', 'the default');
    assert.equal(trustedString(config, 'positionMode', log), 'correct');
    assert.deepEqual(logged, [
      'Ignored transformer.positionMode = "book" from the workspace settings: the workspace is ' +
        'not trusted, so the user setting or the default applies.',
    ]);
  });

  it("Train Transformer downloads from the user's corpusUrl, never the workspace's", async () => {
    const api = await activeApi();
    await train(api);
    const state = api.trainingState();
    assert.equal(state.status, 'finished', state.statusText);
    assert.deepEqual(server.requests, ['/good.zip']);
  });
});
