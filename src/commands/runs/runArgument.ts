/** The run a Runs view context-menu command was invoked on. */
import type { RunRecord } from '../../shared/protocol';

/** The RunRecord VS Code passes from the Runs view; an error for anything else (the commands are
 * hidden from the Command Palette, but a keybinding or another extension may call them). */
export function runArgument(arg: unknown): RunRecord {
  const run = arg as Partial<RunRecord> | undefined;
  if (typeof run?.id !== 'string' || typeof run.number !== 'number') {
    throw new Error('Choose a run in the Transformer: Runs view');
  }
  return run as RunRecord;
}
