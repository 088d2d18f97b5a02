/**
 * Workspace trust, the trusted side: in a trusted workspace the workspace's corpusUrl and
 * corpusSha1 apply as any other setting, and nothing is logged (trust.untrusted.test.ts checks
 * that an untrusted workspace's are ignored).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { readSettings } from '../../src/host/settings';
import { resetSettings } from './support/extension';

const MIRROR = 'http://127.0.0.1:9/mirror/fra-eng.zip';
const MIRROR_SHA1 = 'ab'.repeat(20);

describe('trusted workspace: workspace corpus settings apply', () => {
  const config = () => vscode.workspace.getConfiguration('transformer');
  const target = vscode.ConfigurationTarget.Workspace;

  before(async () => {
    assert.equal(vscode.workspace.isTrusted, true);
    await resetSettings();
    await config().update('corpusUrl', MIRROR, target);
    await config().update('corpusSha1', MIRROR_SHA1, target);
  });

  after(async () => {
    await config().update('corpusUrl', undefined, target);
    await config().update('corpusSha1', undefined, target);
  });

  it('readSettings returns the workspace values and logs nothing', () => {
    const logged: string[] = [];
    const read = readSettings({ warn: (line) => logged.push(line) });
    assert.ok(read.ok, read.ok ? '' : read.errors.join('; '));
    assert.equal(read.settings.corpusUrl, MIRROR);
    assert.equal(read.settings.corpusSha1, MIRROR_SHA1);
    assert.deepEqual(logged, []);
  });
});
