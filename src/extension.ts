/**
 * Extension entry point: makes the extension's parts (src/host/explorer.ts) and wires them to
 * VS Code. Activation is cheap: TensorFlow.js is only ever loaded inside worker threads.
 * docs/architecture.md has the map.
 */
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { ExtensionApi, extensionApi } from './extensionApi';
import { Explorer } from './host/explorer';
import { watchForStaleModel } from './host/staleModel';
import { RUNS_VIEW_ID } from './views/runsTree';

export type { ExtensionApi } from './extensionApi';

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const explorer = new Explorer(context);
  context.subscriptions.push(
    explorer,
    ...registerCommands(explorer),
    ...explorer.panels.registerSerializers(),
    watchForStaleModel(explorer),
    vscode.window.createTreeView(RUNS_VIEW_ID, { treeDataProvider: explorer.runsTree }),
  );
  explorer.log.info('Transformer Attention Explorer activated');
  return extensionApi(explorer);
}

export function deactivate(): void {
  // Disposables registered on the context stop the workers.
}
