import * as vscode from 'vscode';
import { Hyperparameters, LIMITS, validateHyperparameters } from '../config/hyperparameters';
import { BACKEND_CHOICES } from '../backend/choices';
import type {
  BackendChoice,
  DecodingRequest,
  PositionMode,
  TrainingThreads,
} from '../shared/protocol';

export const SECTION = 'transformer';

export interface ExtensionSettings {
  hyperparameters: Hyperparameters;
  backend: BackendChoice;
  corpusPath: string; // '' = download
  corpusUrl: string;
  corpusSha1: string;
  positionMode: PositionMode;
  snapshotEvery: number;
  heldOutCount: number;
  threads: TrainingThreads;
  /** `transformer.decoding` with `beamSize` and `lengthPenalty` (alpha) when it is 'beam'. */
  decoding: DecodingRequest;
}

export const BEAM_SIZE_RANGE = { min: 1, max: 10, fallback: 3 } as const;
export const LENGTH_PENALTY_RANGE = { min: 0, max: 2, fallback: 0.75 } as const;

export type SettingsResult =
  { ok: true; settings: ExtensionSettings } | { ok: false; errors: string[] };

/** Where readSettings says that it ignored a workspace value (the extension's log). */
export type SettingsLog = Pick<vscode.LogOutputChannel, 'warn'>;

/**
 * Reads `transformer.*` and checks it. VS Code's own schema check only warns in the editor; here
 * impossible values (and combinations) stop training with a message that names the setting.
 */
export function readSettings(log?: SettingsLog): SettingsResult {
  const config = vscode.workspace.getConfiguration(SECTION);
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(LIMITS)) raw[key] = config.get(key);
  const checked = validateHyperparameters(raw, `${SECTION}.`);
  const errors = checked.ok ? [] : [...checked.errors];

  const backend = config.get<string>('backend', 'auto') as BackendChoice;
  if (!BACKEND_CHOICES.includes(backend)) {
    errors.push(
      `${SECTION}.backend must be one of ${BACKEND_CHOICES.join(', ')} (got ${JSON.stringify(backend)})`,
    );
  }
  const positionMode = config.get<string>('positionMode', 'correct') as PositionMode;
  if (positionMode !== 'correct' && positionMode !== 'book') {
    errors.push(
      `${SECTION}.positionMode must be "correct" or "book" (got ${JSON.stringify(positionMode)})`,
    );
  }
  const corpus = readCorpusSource(config, errors, log);
  const snapshotEvery = intSetting(config, 'snapshotEvery', 10, 1, errors);
  const heldOutCount = intSetting(config, 'heldOutCount', 200, 0, errors);
  const threads = String(config.get('trainingThreads', 'auto')) as TrainingThreads;
  if (!['auto', '1', '2'].includes(threads)) {
    errors.push(
      `${SECTION}.trainingThreads must be "auto", "1" or "2" (got ${JSON.stringify(threads)})`,
    );
  }
  const decoding = readDecoding(config, errors);

  if (errors.length || !checked.ok) return { ok: false, errors };
  return {
    ok: true,
    settings: {
      hyperparameters: checked.value,
      backend,
      ...corpus,
      positionMode,
      snapshotEvery,
      heldOutCount,
      threads,
      decoding,
    },
  };
}

/**
 * The decoding settings alone: translating checks these (and says which is wrong) even when a
 * training setting is invalid.
 */
export function readDecodingSettings():
  { ok: true; decoding: DecodingRequest } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  const decoding = readDecoding(vscode.workspace.getConfiguration(SECTION), errors);
  return errors.length ? { ok: false, errors } : { ok: true, decoding };
}

/**
 * `transformer.decoding`, and for beam search `transformer.beamSize` (a whole number, 1 to 10)
 * and `transformer.lengthPenalty` (the book's alpha, 0 to 2). Beam size and alpha are checked
 * only when beam search is chosen, so a stray value does not stop greedy decoding.
 */
function readDecoding(config: vscode.WorkspaceConfiguration, errors: string[]): DecodingRequest {
  const kind = config.get<unknown>('decoding', 'greedy');
  if (kind !== 'greedy' && kind !== 'beam') {
    errors.push(`${SECTION}.decoding must be "greedy" or "beam" (got ${JSON.stringify(kind)})`);
    return { kind: 'greedy' };
  }
  if (kind === 'greedy') return { kind };
  const beamSize = config.get<unknown>('beamSize', BEAM_SIZE_RANGE.fallback);
  const { min: bMin, max: bMax } = BEAM_SIZE_RANGE;
  const beamOk =
    typeof beamSize === 'number' &&
    Number.isInteger(beamSize) &&
    beamSize >= bMin &&
    beamSize <= bMax;
  if (!beamOk) {
    errors.push(
      `${SECTION}.beamSize must be a whole number from ${bMin} to ${bMax} (got ${JSON.stringify(beamSize)})`,
    );
  }
  const alpha = config.get<unknown>('lengthPenalty', LENGTH_PENALTY_RANGE.fallback);
  const { min: aMin, max: aMax } = LENGTH_PENALTY_RANGE;
  const alphaOk =
    typeof alpha === 'number' && Number.isFinite(alpha) && alpha >= aMin && alpha <= aMax;
  if (!alphaOk) {
    errors.push(
      `${SECTION}.lengthPenalty must be a number from ${aMin} to ${aMax} (got ${JSON.stringify(alpha)})`,
    );
  }
  return {
    kind,
    beamSize: beamOk ? beamSize : BEAM_SIZE_RANGE.fallback,
    alpha: alphaOk ? alpha : LENGTH_PENALTY_RANGE.fallback,
  };
}

/**
 * The settings that choose which file or server the corpus comes from. A cloned repository must
 * not pick them for the user (it could serve any zip with a matching hash): package.json lists
 * them in `restrictedConfigurations`, so VS Code drops their workspace values until the workspace
 * is trusted, and trustedString reads only the user's value (or the default) meanwhile.
 */
export const TRUST_RESTRICTED = ['corpusPath', 'corpusUrl', 'corpusSha1'] as const;

type CorpusSource = Pick<ExtensionSettings, (typeof TRUST_RESTRICTED)[number]>;

function readCorpusSource(
  config: vscode.WorkspaceConfiguration,
  errors: string[],
  log: SettingsLog | undefined,
): CorpusSource {
  if (!vscode.workspace.isTrusted) {
    // VS Code 1.139 hides a restricted setting's workspace value even from inspect(), so
    // trustedString cannot name it: say once what applies instead.
    const names = TRUST_RESTRICTED.map((k) => `${SECTION}.${k}`).join(', ');
    logOnce(
      log,
      `The workspace is not trusted: ${names} come from the user settings or their defaults ` +
        'only; workspace values are ignored until the workspace is trusted.',
    );
  }
  const corpusSha1 = trustedString(config, 'corpusSha1', log).toLowerCase();
  if (!/^[0-9a-f]{40}$/.test(corpusSha1)) {
    errors.push(`${SECTION}.corpusSha1 must be 40 hexadecimal characters (the zip's SHA-1)`);
  }
  const corpusUrl = trustedString(config, 'corpusUrl', log);
  if (!/^https?:\/\//.test(corpusUrl)) errors.push(`${SECTION}.corpusUrl must be an http(s) URL`);
  return { corpusPath: trustedString(config, 'corpusPath', log), corpusUrl, corpusSha1 };
}

/**
 * A string setting as VS Code resolves it in a trusted workspace; in an untrusted one, the
 * user's value or the default, never the workspace's (logged once when there is one to ignore).
 */
export function trustedString(
  config: vscode.WorkspaceConfiguration,
  key: string,
  log?: SettingsLog,
): string {
  if (vscode.workspace.isTrusted) return String(config.get(key) ?? '').trim();
  const inspected = config.inspect<unknown>(key);
  const ignored = inspected?.workspaceFolderValue ?? inspected?.workspaceValue;
  if (ignored !== undefined) {
    logOnce(
      log,
      `Ignored ${SECTION}.${key} = ${JSON.stringify(ignored)?.slice(0, 200)} from the workspace ` +
        'settings: the workspace is not trusted, so the user setting or the default applies.',
    );
  }
  return String(inspected?.globalValue ?? inspected?.defaultValue ?? '').trim();
}

/** Lines already logged: each is said once per session, not on every read of the settings. */
const logged = new Set<string>();

function logOnce(log: SettingsLog | undefined, line: string): void {
  if (!log || logged.has(line)) return;
  logged.add(line);
  log.warn(line);
}

function intSetting(
  config: vscode.WorkspaceConfiguration,
  key: string,
  fallback: number,
  min: number,
  errors: string[],
): number {
  const v = config.get<unknown>(key, fallback);
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    errors.push(
      `${SECTION}.${key} must be a whole number of at least ${min} (got ${JSON.stringify(v)})`,
    );
    return fallback;
  }
  return v;
}

export const RUN_HISTORY_LIMIT_MB = { min: 10, fallback: 500 } as const;

/**
 * `transformer.runHistoryLimitMB` in bytes. A bad value falls back to the default and says so
 * (the history must keep working: it is never a reason to refuse training).
 */
export function readRunHistoryLimit(): { bytes: number; error?: string } {
  const v = vscode.workspace
    .getConfiguration(SECTION)
    .get<unknown>('runHistoryLimitMB', RUN_HISTORY_LIMIT_MB.fallback);
  if (typeof v === 'number' && Number.isFinite(v) && v >= RUN_HISTORY_LIMIT_MB.min) {
    return { bytes: Math.round(v * 1024 * 1024) };
  }
  return {
    bytes: RUN_HISTORY_LIMIT_MB.fallback * 1024 * 1024,
    error: `${SECTION}.runHistoryLimitMB must be a number of at least ${RUN_HISTORY_LIMIT_MB.min} (got ${JSON.stringify(v)}); using ${RUN_HISTORY_LIMIT_MB.fallback}`,
  };
}
