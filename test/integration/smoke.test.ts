/**
 * Smoke suite: the extension loads in a real VS Code, registers its commands and declares the
 * book's hyperparameters as setting defaults.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import { declaredSettings } from './support/extension';

const extensionId = 'transformer-attention-explorer.transformer-attention-explorer';

/** The defaults the README and the settings' descriptions document (d2l.ai's values). */
const documentedDefaults: Record<string, unknown> = {
  numHiddens: 32,
  numLayers: 2,
  numHeads: 4,
  ffnNumHiddens: 64,
  dropout: 0.1,
  batchSize: 64,
  numSteps: 10,
  learningRate: 0.005,
  numEpochs: 200,
  numExamples: 600,
  seed: 0,
  backend: 'auto',
  corpusPath: '',
  corpusUrl: 'http://d2l-data.s3-accelerate.amazonaws.com/fra-eng.zip',
  corpusSha1: '94646ad1522d915e7b0f9296181140edcf86a4f5',
  positionMode: 'correct',
  snapshotEvery: 10,
  heldOutCount: 200,
  trainingThreads: 'auto',
  attentionFunction: 'dotProduct',
  decoding: 'greedy',
  beamSize: 3,
  lengthPenalty: 0.75,
  runHistoryLimitMB: 500,
};

function extension(): vscode.Extension<ExtensionApi> {
  const ext = vscode.extensions.getExtension<ExtensionApi>(extensionId);
  assert.ok(ext, `${extensionId} is not loaded in this VS Code`);
  return ext;
}

describe('smoke: the extension in a real VS Code', () => {
  it('activates and returns its API', async () => {
    const api = await extension().activate();
    assert.equal(extension().isActive, true);
    assert.equal(typeof api.checkpointDir, 'string');
    assert.equal(api.isTraining(), false);
  });

  it('registers every command package.json contributes', async () => {
    await extension().activate();
    const declared: string[] = extension().packageJSON.contributes.commands.map(
      (c: { command: string }) => c.command,
    );
    assert.ok(declared.length >= 8, `only ${declared.length} commands declared`);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(
      declared.filter((id) => !registered.has(id)),
      [],
      'declared but not registered',
    );
  });

  it('has the documented defaults for every transformer.* setting', () => {
    const config = vscode.workspace.getConfiguration('transformer');
    const declared = Object.keys(declaredSettings());
    assert.deepEqual(
      declared.map((key) => key.replace(/^transformer\./, '')).sort(),
      Object.keys(documentedDefaults).sort(),
      'settings declared in package.json vs documented here',
    );
    for (const [key, value] of Object.entries(documentedDefaults)) {
      assert.equal(config.inspect(key)?.defaultValue, value, `default of transformer.${key}`);
      assert.equal(config.get(key), value, `effective value of transformer.${key}`);
    }
  });

  it('shows every setting with its description from package.nls.json, scoped and ordered', () => {
    for (const [name, setting] of Object.entries(declaredSettings())) {
      const texts = [
        setting.markdownDescription ?? setting.description ?? '',
        ...(setting.enumDescriptions ?? []),
      ];
      // An unresolved %key% is shown to the user as the key itself.
      for (const text of texts) assert.match(text, /^(?!%).{8,}/, `${name}: ${text}`);
      assert.ok(setting.scope, `${name} has no scope`);
      assert.ok(Number.isInteger(setting.order), `${name} has no order`);
    }
  });

  it('keeps the run history limit out of workspace settings (machine scope)', async () => {
    // The history is the extension's global storage, shared by every window: a cloned
    // repository must not be able to shrink it (the limit deletes the oldest runs).
    const config = vscode.workspace.getConfiguration('transformer');
    await assert.rejects(
      Promise.resolve(config.update('runHistoryLimitMB', 10, vscode.ConfigurationTarget.Workspace)),
      /runHistoryLimitMB/,
    );
    assert.equal(config.inspect('runHistoryLimitMB')?.workspaceValue, undefined);
  });
});
