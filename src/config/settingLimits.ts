/**
 * The kinds of entries in the settings tables (LIMITS in ./hyperparameters.ts, RUN_SETTINGS in
 * ./settings.ts) and the one check of a value against its entry. The extension's settings, the
 * CLI's flags and the run-record check (src/shared/runRecord.ts) all check through here, so a
 * setting is allowed the same values wherever it is set, and a mistake is named the same way.
 */

/** A number setting: its range, whether it is whole, and what it is for. */
export interface Limit {
  min: number;
  /** Infinity: no upper bound. */
  max: number;
  integer: boolean;
  /** Whether the upper bound is exclusive (dropout < 1). */
  maxExclusive?: boolean;
  description: string;
  /** The CLI flag that sets it (`--epochs`), where there is one. */
  flag?: string;
}

/** A whole-number setting from `min` to `max`. */
export function whole(min: number, max: number, description: string, flag?: string): Limit {
  return { min, max, integer: true, description, ...(flag ? { flag } : {}) };
}

/** A setting that may be any number from `min` to `max`. */
export function real(min: number, max: number, description: string, flag?: string): Limit {
  return { min, max, integer: false, description, ...(flag ? { flag } : {}) };
}

/** A setting that is one of a few strings. */
export interface ChoiceLimit<T extends string = string> {
  choices: readonly T[];
  description: string;
  flag?: string;
}

/** A free-text setting, checked against a pattern where it has one. */
export interface TextLimit {
  text: true;
  pattern?: RegExp;
  /** What the value must be, for the message when the pattern does not match. */
  patternMeans?: string;
  description: string;
}

export type SettingLimit = Limit | ChoiceLimit | TextLimit;

export function isChoiceLimit(limit: SettingLimit): limit is ChoiceLimit {
  return 'choices' in limit;
}

export function isTextLimit(limit: SettingLimit): limit is TextLimit {
  return 'text' in limit;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

/** "a", "b" or "c": the choices as a person reads them (`quote`: as JSON strings). */
export function choiceList(choices: readonly string[], quote = true): string {
  const shown = choices.map((c) => (quote ? JSON.stringify(c) : c));
  return shown.length < 2 ? shown.join('') : `${shown.slice(0, -1).join(', ')} or ${shown.at(-1)}`;
}

/** A value as a message shows what was given: numbers as written (NaN, not null), else JSON. */
export function shown(v: unknown): string {
  return typeof v === 'number' ? String(v) : String(JSON.stringify(v));
}

/**
 * `v` checked against `limit`, or a message that names the setting as `name` (the caller's
 * spelling: `transformer.numHeads`, `numHeads`). Values are not converted: "10" is not 10.
 */
export function checkSetting(name: string, limit: SettingLimit, v: unknown): Checked<unknown> {
  if (isChoiceLimit(limit)) {
    return typeof v === 'string' && limit.choices.includes(v)
      ? { ok: true, value: v }
      : fail(
          `${name} (${limit.description}) must be ${choiceList(limit.choices)} (got ${shown(v)})`,
        );
  }
  if (isTextLimit(limit)) {
    if (typeof v !== 'string') return fail(`${name} must be a string (got ${shown(v)})`);
    return !limit.pattern || limit.pattern.test(v)
      ? { ok: true, value: v }
      : fail(`${name} must be ${limit.patternMeans ?? `like ${limit.pattern.source}`}`);
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    return fail(`${name} must be a number (got ${shown(v)})`);
  }
  if (limit.integer && !Number.isInteger(v))
    return fail(`${name} must be a whole number (got ${v})`);
  const tooHigh = limit.maxExclusive ? v >= limit.max : v > limit.max;
  if (v < limit.min || tooHigh) {
    const upper = limit.maxExclusive ? ` and below ${limit.max}` : ` and at most ${limit.max}`;
    const range = `at least ${limit.min}${limit.max === Infinity ? '' : upper}`;
    return fail(`${name} (${limit.description}) must be ${range} (got ${v})`);
  }
  return { ok: true, value: v };
}

function fail(error: string): { ok: false; error: string } {
  return { ok: false, error };
}
