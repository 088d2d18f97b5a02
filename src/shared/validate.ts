/**
 * Guards for messages that arrive from another frame or thread. A webview is untrusted input:
 * anything that does not have exactly the expected shape is rejected with a reason, and the
 * receiver logs it and carries on.
 */
import { checkHeadReport } from './headReport';
import { ATTENTION_KINDS, AttentionKind } from '../decode/attentionMaps';
import type {
  HeadRef,
  HostToWebview,
  PanelCommand,
  PanelKind,
  RunsStateMessage,
  WebviewToHost,
} from './protocol';
import { RUN_ID_PATTERN, checkRunRecord } from './runRecord';
import { Obj, isArrayOf, isNum, isObj, isStr } from './shapes';

export { isArrayOf };

export type Parsed<T> = { ok: true; message: T } | { ok: false; error: string };

const PANELS: readonly PanelKind[] = ['training', 'translation', 'attention', 'compare', 'heads'];
const EXPORT_FORMATS = ['png', 'svg', 'json', 'csv'] as const;
/** The only commands a webview may ask the host to run. */
export const PANEL_COMMANDS: readonly PanelCommand[] = [
  'train',
  'openModel',
  'scoreHeadImportance',
  'scoreHeldOut',
];
/** Those of them that may be given a run (its id). */
export const RUN_COMMANDS: readonly PanelCommand[] = ['scoreHeadImportance', 'scoreHeldOut'];
/** Exports larger than this are refused (a 24-heatmap PNG is a few MB). */
export const MAX_EXPORT_CHARS = 64 * 1024 * 1024;
export const MAX_SENTENCE_CHARS = 2000;
/** More decoder steps than any translation has (numSteps is far smaller). */
const MAX_STEPS = 10_000;

function fail<T>(error: string): Parsed<T> {
  return { ok: false, error };
}

function str(o: Obj, key: string, max: number): string | null {
  const v = o[key];
  return typeof v === 'string' && v.length <= max ? v : null;
}

function runId(v: unknown): string | null {
  return typeof v === 'string' && RUN_ID_PATTERN.test(v) ? v : null;
}

/** Exactly two run ids (the two sides of Compare Runs). */
function runIdPair(v: unknown): [string, string] | null {
  if (!Array.isArray(v) || v.length !== 2) return null;
  const [a, b] = [runId(v[0]), runId(v[1])];
  return a !== null && b !== null ? [a, b] : null;
}

function nonNegInt(o: Obj, key: string): number | null {
  const v = o[key];
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null;
}

/** Heads a message may name: more than any model the settings allow (3 kinds × 12 × 16). */
const MAX_HEADS = 1024;

/** A 0-based head ({ kind, layer, head }), or null. The worker checks it against the model. */
function headRef(v: unknown): HeadRef | null {
  if (!isObj(v) || !ATTENTION_KINDS.includes(v.kind as AttentionKind)) return null;
  const layer = nonNegInt(v, 'layer');
  const head = nonNegInt(v, 'head');
  return layer === null || head === null ? null : { kind: v.kind as AttentionKind, layer, head };
}

/** The heads switched off: at most MAX_HEADS refs, copied field by field. */
function headRefs(v: unknown): HeadRef[] | null {
  if (!isArrayOf(v, MAX_HEADS, (r) => headRef(r) !== null)) return null;
  return (v as unknown[]).map((r) => headRef(r)!);
}

/** maskHeads and walkHead: the panel's explore requests (src/shared/exploreMessages.ts). */
function parseExploreRequest(raw: Obj): Parsed<WebviewToHost> {
  const translationId = nonNegInt(raw, 'translationId');
  const off = headRefs(raw.off);
  if (translationId === null) return fail(`${raw.type}: translationId must be a whole number`);
  if (off === null) return fail(`${raw.type}: off must be a list of at most ${MAX_HEADS} heads`);
  if (raw.type === 'maskHeads')
    return { ok: true, message: { type: 'maskHeads', translationId, off } };
  const ref = headRef(raw);
  const query = nonNegInt(raw, 'query');
  if (ref === null || query === null) return fail('walkHead: bad kind, layer, head or query');
  return { ok: true, message: { type: 'walkHead', translationId, off, query, ...ref } };
}

function ok<T>(message: T): Parsed<T> {
  return { ok: true, message };
}

type WebviewParser = (raw: Obj) => Parsed<WebviewToHost>;

function parseReady(raw: Obj): Parsed<WebviewToHost> {
  const panel = raw.panel as PanelKind;
  return PANELS.includes(panel) ? ok({ type: 'ready', panel }) : fail('ready: unknown panel');
}

function parseRendered(raw: Obj): Parsed<WebviewToHost> {
  const panel = raw.panel as PanelKind;
  const charts = nonNegInt(raw, 'charts');
  if (!PANELS.includes(panel) || charts === null) return fail('rendered: bad panel or charts');
  return ok({ type: 'rendered', panel, charts });
}

/** Messages that carry nothing but their type. */
function parseBare(raw: Obj): Parsed<WebviewToHost> {
  return ok({ type: raw.type as 'openSettings' | 'scoreHeadImportance' | 'cancelHeadImportance' });
}

function parseShowAttention(raw: Obj): Parsed<WebviewToHost> {
  const translationId = nonNegInt(raw, 'translationId');
  return translationId === null
    ? fail('showAttention: translationId must be a whole number')
    : ok({ type: 'showAttention', translationId });
}

/** A layer or head index a message may name: more than any model here has (settings allow 12
 * layers and 16 heads; an imported model is checked against its own size by the host). */
const MAX_INDEX = 1023;

/** A whole number 0 … MAX_INDEX at `key`, or null. */
function index(o: Obj, key: string): number | null {
  const v = nonNegInt(o, key);
  return v !== null && v <= MAX_INDEX ? v : null;
}

function parseHighlightSource(raw: Obj): Parsed<WebviewToHost> {
  const translationId = nonNegInt(raw, 'translationId');
  const target = raw.target === null ? null : nonNegInt(raw, 'target');
  if (translationId === null || (raw.target !== null && (target === null || target > MAX_STEPS)))
    return fail(
      `highlightSource: translationId must be a whole number, target one ≤ ${MAX_STEPS} or null`,
    );
  const layer = index(raw, 'layer');
  const head = raw.head === null ? null : index(raw, 'head');
  if (layer === null || (raw.head !== null && head === null))
    return fail(
      `highlightSource: layer must be a whole number ≤ ${MAX_INDEX}, head one or null (the mean)`,
    );
  return ok({ type: 'highlightSource', translationId, target, layer, head });
}

function parseTranslateSentence(raw: Obj): Parsed<WebviewToHost> {
  const sentence = str(raw, 'sentence', MAX_SENTENCE_CHARS);
  return sentence === null
    ? fail(
        `translateSentence: sentence must be a string of at most ${MAX_SENTENCE_CHARS} characters`,
      )
    : ok({ type: 'translateSentence', sentence });
}

function parseExport(raw: Obj): Parsed<WebviewToHost> {
  const format = raw.format as (typeof EXPORT_FORMATS)[number];
  const suggestedName = str(raw, 'suggestedName', 200);
  const content = str(raw, 'content', MAX_EXPORT_CHARS);
  if (!EXPORT_FORMATS.includes(format)) return fail('export: format must be png, svg, json or csv');
  if (suggestedName === null || /[\\/]/.test(suggestedName)) return fail('export: bad file name');
  if (content === null) return fail('export: content missing or too large');
  if (format === 'png' && !content.startsWith('data:image/png;base64,')) {
    return fail('export: png content must be a data:image/png;base64 URL');
  }
  return ok({ type: 'export', format, suggestedName, content });
}

/** makeRunCurrent and deleteRun. */
function parseRunAction(raw: Obj): Parsed<WebviewToHost> {
  const id = runId(raw.runId);
  return id === null
    ? fail(`${raw.type as string}: runId must be a run's id`)
    : ok({ type: raw.type as 'makeRunCurrent' | 'deleteRun', runId: id });
}

function parseCompareAttention(raw: Obj): Parsed<WebviewToHost> {
  const runIds = runIdPair(raw.runIds);
  const sentence = str(raw, 'sentence', MAX_SENTENCE_CHARS);
  if (runIds === null) return fail('compareAttention: runIds must be two run ids');
  if (sentence === null || sentence.trim() === '')
    return fail(
      `compareAttention: sentence must be a non-empty string of at most ${MAX_SENTENCE_CHARS} characters`,
    );
  return ok({ type: 'compareAttention', runIds, sentence });
}

function parseRunCommand(raw: Obj): Parsed<WebviewToHost> {
  const command = raw.command as PanelCommand;
  if (!PANEL_COMMANDS.includes(command))
    return fail(`runCommand: command must be one of ${PANEL_COMMANDS.join(', ')}`);
  if (raw.runId === undefined) return ok({ type: 'runCommand', command });
  const id = runId(raw.runId);
  if (!RUN_COMMANDS.includes(command))
    return fail(`runCommand: ${command} takes no run (only ${RUN_COMMANDS.join(', ')} do)`);
  return id === null
    ? fail("runCommand: runId must be a run's id")
    : ok({ type: 'runCommand', command, runId: id });
}

function parseWebviewError(raw: Obj): Parsed<WebviewToHost> {
  const message = str(raw, 'message', 10_000);
  return message === null
    ? fail('webviewError: message must be a string')
    : ok({ type: 'webviewError', message });
}

/** One parser per message type: a type missing here fails to compile. */
const WEBVIEW_PARSERS: Record<WebviewToHost['type'], WebviewParser> = {
  ready: parseReady,
  rendered: parseRendered,
  cancelTraining: () => ok({ type: 'cancelTraining' }),
  openSettings: parseBare,
  scoreHeadImportance: parseBare,
  cancelHeadImportance: parseBare,
  showAttention: parseShowAttention,
  highlightSource: parseHighlightSource,
  translateSentence: parseTranslateSentence,
  export: parseExport,
  makeRunCurrent: parseRunAction,
  deleteRun: parseRunAction,
  compareAttention: parseCompareAttention,
  maskHeads: parseExploreRequest,
  walkHead: parseExploreRequest,
  runCommand: parseRunCommand,
  webviewError: parseWebviewError,
};

/** Checks a message posted by a webview (host side). */
export function parseWebviewMessage(raw: unknown): Parsed<WebviewToHost> {
  if (!isObj(raw) || typeof raw.type !== 'string') return fail('not an object with a "type"');
  // Own keys only: "toString" or "__proto__" from a webview is an unknown type, not a parser.
  if (!Object.hasOwn(WEBVIEW_PARSERS, raw.type))
    return fail(`unknown message type ${JSON.stringify(raw.type).slice(0, 40)}`);
  return WEBVIEW_PARSERS[raw.type as WebviewToHost['type']](raw);
}

const HOST_TYPES: readonly HostToWebview['type'][] = [
  'trainingState',
  'trainingEpoch',
  'trainingBatch',
  'runsState',
  'compareAttentionResult',
  'translations',
  'attentionData',
  'exportResult',
  'headsState',
  'maskedTranslation',
  'headWalkthrough',
];

/**
 * Checks a message from the host (webview side). The host is trusted code, so this checks the
 * envelope and the fields the panels index into, not every number.
 */
export function parseHostMessage(raw: unknown): Parsed<HostToWebview> {
  if (!isObj(raw) || !HOST_TYPES.includes(raw.type as HostToWebview['type'])) {
    return fail('not a host message');
  }
  const m = raw as unknown as HostToWebview;
  switch (m.type) {
    case 'trainingState':
      return Array.isArray(m.points) && Array.isArray(m.seeds)
        ? { ok: true, message: m }
        : fail('trainingState: points and seeds must be arrays');
    case 'trainingEpoch':
      return isObj(m.point) && typeof m.point.epoch === 'number'
        ? { ok: true, message: m }
        : fail('trainingEpoch: point missing');
    case 'trainingBatch':
      return isObj(m.progress) && typeof m.progress.done === 'number'
        ? { ok: true, message: m }
        : fail('trainingBatch: progress missing');
    case 'runsState': {
      const problem = runsStateProblem(m);
      return problem === null ? { ok: true, message: m } : fail(`runsState: ${problem}`);
    }
    case 'compareAttentionResult':
      return Array.isArray(m.sides)
        ? { ok: true, message: m }
        : fail('compareAttentionResult: sides must be an array');
    case 'translations':
      return Array.isArray(m.items)
        ? { ok: true, message: m }
        : fail('translations: items missing');
    case 'attentionData': {
      if (!Array.isArray(m.snapshots)) return fail('attentionData: snapshots missing');
      if (m.headReport === undefined || m.headReport === null) return { ok: true, message: m };
      if (!isStr(m.headReport.source)) return fail('attentionData: headReport without a source');
      const checked = checkHeadReport(m.headReport.report);
      return checked.ok ? { ok: true, message: m } : fail(`attentionData: ${checked.error}`);
    }
    case 'headsState': {
      if (m.report === null) return { ok: true, message: m };
      const checked = checkHeadReport(m.report);
      return checked.ok ? { ok: true, message: m } : fail(`headsState: ${checked.error}`);
    }
    default:
      return { ok: true, message: m };
  }
}

/** More runs than years of training would leave: refused before the array is walked. */
const MAX_RUNS = 10_000;

/**
 * What is wrong with a runsState (the message, or the Compare Runs panel's saved copy of it),
 * or null: every run checked as run.json is when it is read (checkRunRecord).
 */
export function runsStateProblem(m: RunsStateMessage): string | null {
  const raw = m as unknown as Obj;
  if (!Array.isArray(raw.runs) || raw.runs.length > MAX_RUNS) {
    return `runs must be an array of at most ${MAX_RUNS}`;
  }
  const ids = new Set<string>();
  for (let i = 0; i < raw.runs.length; i++) {
    const checked = checkRunRecord(raw.runs[i]);
    if (!checked.ok) return `run ${checked.error}`;
    if (ids.has(checked.run.id)) return 'two runs with the same id';
    ids.add(checked.run.id);
  }
  if (raw.currentRunId !== null && !isStr(raw.currentRunId)) return 'bad currentRunId';
  if (!isNum(raw.totalBytes) || !isNum(raw.limitBytes)) return 'bad totalBytes or limitBytes';
  return null;
}
