import * as path from 'node:path';
import * as vscode from 'vscode';

/** Where the extension keeps things, all under its global storage (survives reloads). */
export interface ExtensionPaths {
  checkpointDir: string;
  /** The run history: one folder per training run (src/runs/runStore.ts). */
  runsDir: string;
  gpuModulesDir: string;
  workerScript: string;
  wasmDir: string;
}

export function extensionPaths(context: vscode.ExtensionContext): ExtensionPaths {
  const storage = context.globalStorageUri.fsPath;
  return {
    checkpointDir: path.join(storage, 'checkpoints', 'current'),
    runsDir: path.join(storage, 'runs'),
    gpuModulesDir: path.join(storage, 'gpu'),
    workerScript: path.join(context.extensionPath, 'dist', 'trainingWorker.js'),
    wasmDir: path.join(context.extensionPath, 'dist'),
  };
}
