import * as vscode from 'vscode';
import type { Command } from './command';

/** Open Settings: the Settings editor filtered to this extension's transformer.* settings. */
export const openSettings: Command = {
  id: 'openSettings',
  run: () =>
    vscode.commands.executeCommand(
      'workbench.action.openSettings',
      '@ext:transformer-attention-explorer.transformer-attention-explorer',
    ),
};
