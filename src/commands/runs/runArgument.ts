/** The run a Runs view context-menu command was invoked on. */
import type { RunRecord } from '../../shared/protocol';
import { RUN_ID_PATTERN } from '../../shared/runRecord';

/** The RunRecord VS Code passes from the Runs view; an error for anything else (the commands are
 * hidden from the Command Palette, but a keybinding or another extension may call them). */
export function runArgument(arg: unknown): RunRecord {
  const run = arg as Partial<RunRecord> | undefined;
  if (typeof run?.id !== 'string' || typeof run.number !== 'number') {
    throw new Error('Choose a run in the Transformer: Runs view');
  }
  return run as RunRecord;
}

/**
 * The run a command that also works without one was asked about: a run of the Runs view (its
 * RunRecord), a run id (a panel's button), or none (the Command Palette: the current model's).
 */
export function optionalRunId(arg: unknown): string | undefined {
  if (arg === undefined || arg === null) return undefined;
  if (typeof arg === 'string' && RUN_ID_PATTERN.test(arg)) return arg;
  return runArgument(arg).id;
}
