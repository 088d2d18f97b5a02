#!/usr/bin/env node
/**
 * Command line for the training core (no VS Code needed):
 *   node dist/cli.js train --data FILE [--examples 600 --epochs 200 ...] --out DIR
 *   node dist/cli.js translate --model DIR|model.pt "sentence"
 *   node dist/cli.js eval --model DIR|model.pt --data FILE --from N --count M
 *   node dist/cli.js heads --model DIR|model.pt --data FILE [--count 200]
 * The arguments are src/cli/args.ts, the commands src/cli/train.ts, src/cli/inspect.ts and
 * src/cli/heads.ts.
 */
import { CLI_VERSION, UsageError, choiceFlag, parseCliArgs } from './cli/args';
import { commandHelp, isCommand, programName, usage } from './cli/help';
import { headsCommand } from './cli/heads';
import { evalCommand, translateCommand } from './cli/inspect';
import { complain, say } from './cli/output';
import { trainCommand } from './cli/train';

async function main(argv: string[]): Promise<void> {
  const args = parseCliArgs(argv);
  if (args.kind === 'help') {
    const { command } = args;
    if (command !== undefined && !isCommand(command))
      throw new UsageError(`No help for "${command}": there is no such command`);
    // Constant texts and the script's own file name (escaped by programName).
    return console.log(command ? commandHelp(command, programName()) : usage(programName()));
  }
  if (args.kind === 'version') return say(CLI_VERSION);
  const { command, values, positionals } = args;
  // Checked for every command, before anything runs (as the flags are shared).
  choiceFlag(values, 'backend');
  choiceFlag(values, 'positionMode');
  switch (command) {
    case 'train':
      return trainCommand(values);
    case 'translate':
      return translateCommand(values, positionals);
    case 'eval':
      return evalCommand(values);
    case 'heads':
      return headsCommand(values);
    default:
      throw new UsageError(command ? `Unknown command "${command}"` : 'No command given');
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof UsageError) {
    complain(`${err.message}\n\n${usage(programName())}`);
    process.exitCode = 2;
  } else {
    complain(`error: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
});
