import * as vscode from 'vscode';
import type { BackendChoice, PositionMode, TrainingThreads } from '../config/choices';
import { Hyperparameters, LIMITS, validateHyperparameters } from '../config/hyperparameters';
import { RUN_SETTINGS, RunSettingValues, SECTION, checkRunSetting } from '../config/settings';
import type { DecodingRequest } from '../shared/protocol';

export { SECTION };

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

export type SettingsResult =
  { ok: true; settings: ExtensionSettings } | { ok: false; errors: string[] };

/** Where readSettings says that it ignored a workspace value (the extension's log). */
export type SettingsLog = Pick<vscode.LogOutputChannel, 'warn'>;

/**
 * Reads `transformer.*` and checks it against the settings table (src/config/settings.ts).
 * VS Code's own schema check only warns in the editor; here impossible values (and
 * combinations) stop training with a message that names the setting.
 */
export function readSettings(log?: SettingsLog): SettingsResult {
  const config = vscode.workspace.getConfiguration(SECTION);
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(LIMITS)) raw[key] = config.get(key);
  const checked = validateHyperparameters(raw, `${SECTION}.`);
  const errors = checked.ok ? [] : [...checked.errors];
  const setting = <K extends keyof RunSettingValues>(key: K) => readSetting(config, key, errors);
  const settings = {
    backend: setting('backend'),
    ...readCorpusSource(config, errors, log),
    positionMode: setting('positionMode'),
    snapshotEvery: setting('snapshotEvery'),
    heldOutCount: setting('heldOutCount'),
    threads: setting('trainingThreads'),
    decoding: readDecoding(config, errors),
  };
  if (errors.length || !checked.ok) return { ok: false, errors };
  return { ok: true, settings: { hyperparameters: checked.value, ...settings } };
}

/**
 * One setting of RUN_SETTINGS, checked against its entry; its default (and a message in
 * `errors`) when it is wrong. `transformer.trainingThreads` is a string setting of digits, so a
 * number written for it in settings.json reads as its string.
 */
function readSetting<K extends keyof RunSettingValues>(
  config: vscode.WorkspaceConfiguration,
  key: K,
  errors: string[],
  value: unknown = config.get<unknown>(key, RUN_SETTINGS[key].default),
): RunSettingValues[K] {
  const read = key === 'trainingThreads' && typeof value === 'number' ? String(value) : value;
  const checked = checkRunSetting(key, read);
  if (checked.ok) return checked.value;
  errors.push(checked.error);
  return RUN_SETTINGS[key].default;
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
 * `transformer.decoding`, and for beam search `transformer.beamSize` and
 * `transformer.lengthPenalty` (the book's alpha). Beam size and alpha are checked only when beam
 * search is chosen, so a stray value does not stop greedy decoding.
 */
function readDecoding(config: vscode.WorkspaceConfiguration, errors: string[]): DecodingRequest {
  const kind = readSetting(config, 'decoding', errors);
  if (kind === 'greedy') return { kind };
  return {
    kind,
    beamSize: readSetting(config, 'beamSize', errors),
    alpha: readSetting(config, 'lengthPenalty', errors),
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
  const corpus = (key: (typeof TRUST_RESTRICTED)[number]) =>
    readSetting(config, key, errors, trustedString(config, key, log));
  const corpusSha1 = corpus('corpusSha1').toLowerCase();
  const corpusUrl = corpus('corpusUrl');
  return { corpusPath: corpus('corpusPath'), corpusUrl, corpusSha1 };
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

/**
 * `transformer.runHistoryLimitMB` in bytes. A bad value falls back to the default and says so
 * (the history must keep working: it is never a reason to refuse training).
 */
export function readRunHistoryLimit(): { bytes: number; error?: string } {
  const config = vscode.workspace.getConfiguration(SECTION);
  const errors: string[] = [];
  const megabytes = readSetting(config, 'runHistoryLimitMB', errors);
  const bytes = Math.round(megabytes * 1024 * 1024);
  return errors.length ? { bytes, error: `${errors[0]}; using ${megabytes}` } : { bytes };
}
