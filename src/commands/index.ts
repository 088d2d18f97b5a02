/**
 * Every command package.json contributes, one file each. Add a command: a file here exporting a
 * Command, its entry in COMMANDS, and its declaration in package.json (contributes.commands).
 */
import * as vscode from 'vscode';
import type { Explorer } from '../host/explorer';
import { Command, commandId } from './command';
import { compareRuns } from './compareRuns';
import { exportModel } from './exportModel';
import { installGpu } from './installGpu';
import { openAttention } from './openAttention';
import { openExample } from './openExample';
import { openModel } from './openModel';
import { openSettings } from './openSettings';
import { scoreHeadImportance } from './scoreHeadImportance';
import { scoreHeldOut } from './scoreHeldOut';
import { showLog } from './showLog';
import { showTraining } from './showTraining';
import { runCompare } from './runs/compare';
import { runDelete } from './runs/delete';
import { runMakeCurrent } from './runs/makeCurrent';
import { runOpenAttention } from './runs/openAttention';
import { runRevealCheckpoint } from './runs/revealCheckpoint';
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
  scoreHeldOut,
  openModel,
  exportModel,
  installGpu,
  openSettings,
  showLog,
  openExample,
  runMakeCurrent,
  runOpenAttention,
  runCompare,
  runRevealCheckpoint,
  runDelete,
];

/** Registers every command; a failure is logged and shown, and the command resolves to undefined. */
export function registerCommands(explorer: Explorer): vscode.Disposable[] {
  return COMMANDS.map((command) =>
    vscode.commands.registerCommand(commandId(command.id), async (...args: unknown[]) => {
      try {
        return await command.run(explorer, ...args);
      } catch (err) {
        explorer.reportError(`Transformer: ${command.id} failed`, err);
        return undefined;
      }
    }),
  );
}
