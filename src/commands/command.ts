/** One command of the extension: its id after `transformerExplorer.` and what it does. */
import type { Explorer } from '../host/explorer';

export interface Command {
  /** package.json declares it as `transformerExplorer.<id>`. */
  readonly id: string;
  /**
   * A throw or rejection is logged and shown (see registerCommands). `args`: what
   * executeCommand or a menu passed (a menu on a file passes its Uri, the Runs view's context
   * menu the run's record, the Command Palette nothing).
   */
  run(explorer: Explorer, ...args: unknown[]): unknown;
}

/** The full command id, for executeCommand. */
export function commandId(id: string): string {
  return `transformerExplorer.${id}`;
}
