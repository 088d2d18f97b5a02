/**
 * Command line for the training core (no VS Code needed):
 *   node dist/cli.js train --data FILE [--examples 600 --epochs 200 ...] --out DIR
 *   node dist/cli.js translate --model DIR "sentence"
 *   node dist/cli.js eval --model DIR --data FILE --from N --count M
 * The arguments are src/cli/args.ts, the commands src/cli/train.ts and src/cli/inspect.ts.
 */
import { CLI_VERSION, USAGE, UsageError, choiceFlag, parseCliArgs } from './cli/args';
import { evalCommand, translateCommand } from './cli/inspect';
import { complain, say } from './cli/output';
import { trainCommand } from './cli/train';

async function main(argv: string[]): Promise<void> {
  const args = parseCliArgs(argv);
  if (args.kind === 'help') return console.log(USAGE); // a constant: no line to escape
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
    default:
      throw new UsageError(command ? `Unknown command "${command}"` : 'No command given');
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof UsageError) {
    complain(`${err.message}\n\n${USAGE}`);
    process.exitCode = 2;
  } else {
    complain(`error: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
});
