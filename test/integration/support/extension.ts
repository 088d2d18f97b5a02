/** Shared helpers for the integration suites (run inside VS Code's extension host). */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../src/extension';
import type { TranslationItem } from '../../../src/shared/protocol';

export const EXTENSION_ID = 'transformer-attention-explorer.transformer-attention-explorer';

export async function activeApi(): Promise<ExtensionApi> {
  const ext = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not loaded`);
  return ext.isActive ? ext.exports : await ext.activate();
}

/** ../shared/data/fra-eng/fra.txt beside the repository (the extension is run from source). */
export function sharedCorpus(): string {
  const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
  return path.resolve(ext.extensionPath, '..', 'shared', 'data', 'fra-eng', 'fra.txt');
}

/** A small, fast configuration (seconds per run on 2 cores). */
export const SMALL = {
  numHiddens: 16,
  numLayers: 2,
  numHeads: 4,
  ffnNumHiddens: 32,
  numExamples: 80,
  numEpochs: 3,
  batchSize: 32,
  numSteps: 10,
  snapshotEvery: 1,
  heldOutCount: 20,
  backend: 'wasm',
};

export async function configure(values: Record<string, unknown>): Promise<void> {
  const config = vscode.workspace.getConfiguration('transformer');
  for (const [key, value] of Object.entries(values)) {
    await config.update(key, value, vscode.ConfigurationTarget.Global);
  }
}

/** A setting as package.json declares it (its strings as VS Code resolved them). */
export interface DeclaredSetting {
  scope?: string;
  order?: number;
  markdownDescription?: string;
  description?: string;
  enumDescriptions?: string[];
}

/**
 * Every `transformer.*` setting package.json declares, by its full name, over all the titled
 * sections of contributes.configuration (model, training, data, decoding, backend).
 */
export function declaredSettings(): Record<string, DeclaredSetting> {
  const sections: { properties?: Record<string, DeclaredSetting> }[] =
    vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.configuration;
  return Object.assign({}, ...sections.map((s) => s.properties ?? {}));
}

export async function resetSettings(): Promise<void> {
  const config = vscode.workspace.getConfiguration('transformer');
  const keys = Object.keys(declaredSettings()).map((k) => k.replace(/^transformer\./, ''));
  for (const key of keys) await config.update(key, undefined, vscode.ConfigurationTarget.Global);
}

export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 60_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Runs Train Transformer and waits for the run to end. */
export async function train(api: ExtensionApi): Promise<void> {
  await vscode.commands.executeCommand('transformerExplorer.train');
  await api.whenTrainingDone();
}

/** Opens `text` in a new editor, selects all of it and runs Translate Selection. */
export async function selectAndTranslate(text: string): Promise<TranslationItem[] | undefined> {
  const doc = await vscode.workspace.openTextDocument({ content: text, language: 'plaintext' });
  const editor = await vscode.window.showTextDocument(doc);
  editor.selection = new vscode.Selection(0, 0, doc.lineCount, 0);
  return vscode.commands.executeCommand<TranslationItem[] | undefined>(
    'transformerExplorer.translateSelection',
  );
}

/** Layers of the three attention kinds: [encoder self, decoder self, encoder–decoder]. */
export function layersOf(item: TranslationItem): number[] {
  const a = item.attention;
  return [a.encoderSelf.length, a.decoderSelf.length, a.encoderDecoder.length];
}

/**
 * A suite's before/after hooks for a small model trained 2 epochs on the shared corpus, with no
 * editors left open (panels left by earlier suites would be revealed where they are).
 */
export function withSmallTwoEpochSettings(): void {
  before(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await resetSettings();
    await configure({ ...SMALL, numEpochs: 2, corpusPath: sharedCorpus() });
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await resetSettings();
  });
}
