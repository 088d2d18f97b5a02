/**
 * Every command package.json contributes, one file each. Add a command: a file here exporting a
 * Command, its entry in COMMANDS, and its declaration in package.json (contributes.commands).
 */
import * as vscode from 'vscode';
import type { Explorer } from '../host/explorer';
import { Command, commandId } from './command';
import { compareRuns } from './compareRuns';
import { installGpu } from './installGpu';
import { openAttention } from './openAttention';
import { openSettings } from './openSettings';
import { scoreHeadImportance } from './scoreHeadImportance';
import { showLog } from './showLog';
import { showTraining } from './showTraining';
import { stopTraining } from './stopTraining';
import { train } from './train';
import { translateSelection } from './translateSelection';

const COMMANDS: readonly Command[] = [
  train,
  stopTraining,
  translateSelection,
  openAttention,
  showTraining,
  compareRuns,
  scoreHeadImportance,
  installGpu,
  openSettings,
  showLog,
];

/** Registers every command; a failure is logged and shown, and the command resolves to undefined. */
export function registerCommands(explorer: Explorer): vscode.Disposable[] {
  return COMMANDS.map((command) =>
    vscode.commands.registerCommand(commandId(command.id), async () => {
      try {
        return await command.run(explorer);
      } catch (err) {
        explorer.reportError(`Transformer: ${command.id} failed`, err);
        return undefined;
      }
    }),
  );
}
