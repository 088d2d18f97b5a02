/**
 * The command line's arguments: flags and parsing (the help texts: ./help.ts). Every mistake in
 * them is a UsageError (exit 2 with the usage text), node:util's own parse errors included.
 */
import { parseArgs } from 'node:util';
// Bundled into dist/cli.js at build time (esbuild inlines JSON): no package.json is read at run
// time, so the version is right wherever dist/cli.js is copied.
import { version } from '../../package.json';

export const CLI_VERSION: string = version;

/** CLI flag -> hyperparameter. */
export const FLAGS = {
  examples: 'numExamples',
  epochs: 'numEpochs',
  layers: 'numLayers',
  hidden: 'numHiddens',
  heads: 'numHeads',
  ffn: 'ffnNumHiddens',
  dropout: 'dropout',
  batch: 'batchSize',
  steps: 'numSteps',
  lr: 'learningRate',
  seed: 'seed',
} as const;

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
  data: { type: 'string' },
  out: { type: 'string' },
  model: { type: 'string' },
  from: { type: 'string' },
  count: { type: 'string' },
  backend: { type: 'string', default: 'auto' },
  positions: { type: 'string', default: 'correct' },
  threads: { type: 'string', default: 'auto' },
  attention: { type: 'string' },
  progress: { type: 'string', default: '2' },
  ...(Object.fromEntries(Object.keys(FLAGS).map((k) => [k, { type: 'string' }])) as Record<
    keyof typeof FLAGS,
    { type: 'string' }
  >),
} as const;

export type CliValues = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];

export type CliArgs =
  /** --help (of `command` when one is given: `train --help`, `help train`). */
  | { kind: 'help'; command: string | undefined }
  | { kind: 'version' }
  | { kind: 'command'; command: string | undefined; values: CliValues; positionals: string[] };

export class UsageError extends Error {}

/** The command (the first positional), its flags and the other positionals; or help/version. */
export function parseCliArgs(argv: string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
  } catch (err) {
    // An unknown flag, a missing value, or "--epochs -1" (node:util takes -1 for a flag).
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help) return { kind: 'help', command };
  if (command === 'help') return { kind: 'help', command: rest[0] };
  if (values.version) return { kind: 'version' };
  return { kind: 'command', command, values, positionals: rest };
}

export function required(v: string | undefined, flag: string): string {
  if (v === undefined || v === '') throw new UsageError(`${flag} is required`);
  return v;
}

export function nonNegativeInt(v: string, flag: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0)
    throw new UsageError(`${flag} must be a whole number >= 0 (got ${v})`);
  return n;
}
