/**
 * The command line's arguments: flags and parsing (the help texts: ./help.ts). The flags that
 * set a setting come from the settings table (src/config/): their names, defaults and allowed
 * values. Every mistake in them is a UsageError (exit 2 with the usage text), node:util's own
 * parse errors included.
 */
import { parseArgs } from 'node:util';
// Bundled into dist/cli.js at build time (esbuild inlines JSON): no package.json is read at run
// time, so the version is right wherever dist/cli.js is copied.
import { version } from '../../package.json';
import {
  DEFAULT_HYPERPARAMETERS,
  Hyperparameters,
  LIMITS,
  validateHyperparameters,
} from '../config/hyperparameters';
import { ChoiceLimit, choiceList, isChoiceLimit } from '../config/settingLimits';
import { RUN_SETTINGS, RunSettingValues } from '../config/settings';

export const CLI_VERSION: string = version;

/** `a|b|c`: a choice flag's values as the usage shows them. */
export function choicesOf(key: ChoiceKey): string {
  return CHOICE_FLAGS[key].choices.join('|');
}

type NumericKey = {
  [K in keyof Hyperparameters]: Hyperparameters[K] extends number ? K : never;
}[keyof Hyperparameters];

/** CLI flag -> hyperparameter, for the hyperparameters that are numbers (`--epochs`). */
export const FLAGS: Readonly<Record<string, NumericKey>> = Object.fromEntries(
  (Object.keys(LIMITS) as (keyof Hyperparameters)[]).flatMap((key) => {
    const limit = LIMITS[key];
    return isChoiceLimit(limit) || !limit.flag ? [] : [[limit.flag, key as NumericKey]];
  }),
);

/** The settings a flag chooses among a few values, with the flag's name. */
const CHOICE_FLAGS = {
  attentionFunction: {
    ...LIMITS.attentionFunction,
    default: DEFAULT_HYPERPARAMETERS.attentionFunction,
  },
  backend: RUN_SETTINGS.backend,
  positionMode: RUN_SETTINGS.positionMode,
  trainingThreads: RUN_SETTINGS.trainingThreads,
} as const;

type ChoiceKey = keyof typeof CHOICE_FLAGS;
type ChoiceValue<K extends ChoiceKey> = K extends 'attentionFunction'
  ? Hyperparameters['attentionFunction']
  : RunSettingValues[Exclude<K, 'attentionFunction'>];

const stringOption = () => ({ type: 'string' as const });

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
  data: { type: 'string' },
  out: { type: 'string' },
  model: { type: 'string' },
  from: { type: 'string' },
  count: { type: 'string' },
  mask: { type: 'string' },
  ...(Object.fromEntries(
    Object.values(CHOICE_FLAGS).map((c) => [c.flag, stringOption()]),
  ) as Record<string, { type: 'string' }>),
  progress: { type: 'string', default: '2' },
  ...(Object.fromEntries(Object.keys(FLAGS).map((flag) => [flag, stringOption()])) as Record<
    string,
    { type: 'string' }
  >),
} as const;

export type CliValues = Record<string, string | boolean | undefined>;

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

/** A string flag's value (undefined when it was not given). */
export function flag(values: CliValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

export function required(v: string | undefined, flagName: string): string {
  if (v === undefined || v === '') throw new UsageError(`${flagName} is required`);
  return v;
}

export function nonNegativeInt(v: string, flagName: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0)
    throw new UsageError(`${flagName} must be a whole number >= 0 (got ${v})`);
  return n;
}

/**
 * The value of a setting's choice flag (`--backend`, `--positions`, `--threads`,
 * `--attention`): the setting's default when it was not given, a UsageError when it is not one
 * of the table's choices.
 */
export function choiceFlag<K extends ChoiceKey>(values: CliValues, key: K): ChoiceValue<K> {
  const limit: ChoiceLimit & { default: string } = CHOICE_FLAGS[key];
  const given = flag(values, limit.flag!);
  if (given === undefined) return limit.default as ChoiceValue<K>;
  if (!limit.choices.includes(given)) {
    const named = limit.flag === key ? `--${key}` : `--${limit.flag} (${key})`;
    throw new UsageError(
      `${named} must be ${choiceList(limit.choices, false)} (got ${JSON.stringify(given)})`,
    );
  }
  return given as ChoiceValue<K>;
}

/** The hyperparameters the flags ask for, the book's defaults for the rest, all checked. */
export function hyperparametersFrom(values: CliValues): Hyperparameters {
  const raw: Record<string, number | string> = {};
  for (const [name, key] of Object.entries(FLAGS)) {
    const v = flag(values, name);
    if (v === undefined) continue;
    // Number('') is 0 and Number('abc') NaN: name the flag and what was typed instead.
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n)) {
      throw new UsageError(`--${name} (${key}) must be a number (got ${JSON.stringify(v)})`);
    }
    raw[key] = n;
  }
  raw.attentionFunction = choiceFlag(values, 'attentionFunction');
  const checked = validateHyperparameters({ ...DEFAULT_HYPERPARAMETERS, ...raw });
  if (!checked.ok) throw new UsageError(checked.errors.join('\n'));
  return checked.value;
}

/** `--progress`: seconds between batch progress lines (0: every batch). */
export function progressSeconds(values: CliValues): number {
  const v = flag(values, 'progress') ?? '';
  const seconds = Number(v);
  if (v.trim() === '' || !(seconds >= 0)) {
    throw new UsageError(`--progress must be a number of seconds >= 0 (got ${v})`);
  }
  return seconds;
}
