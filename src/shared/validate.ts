/**
 * Guards for messages that arrive from another frame or thread. A webview is untrusted input:
 * anything that does not have exactly the expected shape is rejected with a reason, and the
 * receiver logs it and carries on.
 */
import type { HostToWebview, PanelKind, WebviewToHost } from './protocol';

export type Parsed<T> = { ok: true; message: T } | { ok: false; error: string };

const PANELS: readonly PanelKind[] = ['training', 'translation', 'attention'];
const EXPORT_FORMATS = ['png', 'svg', 'json'] as const;
/** Exports larger than this are refused (a 24-heatmap PNG is a few MB). */
export const MAX_EXPORT_CHARS = 64 * 1024 * 1024;
export const MAX_SENTENCE_CHARS = 2000;

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fail<T>(error: string): Parsed<T> {
  return { ok: false, error };
}

function str(o: Obj, key: string, max: number): string | null {
  const v = o[key];
  return typeof v === 'string' && v.length <= max ? v : null;
}

function nonNegInt(o: Obj, key: string): number | null {
  const v = o[key];
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null;
}

/** Checks a message posted by a webview (host side). */
export function parseWebviewMessage(raw: unknown): Parsed<WebviewToHost> {
  if (!isObj(raw) || typeof raw.type !== 'string') return fail('not an object with a "type"');
  switch (raw.type) {
    case 'ready': {
      const panel = raw.panel as PanelKind;
      return PANELS.includes(panel)
        ? { ok: true, message: { type: 'ready', panel } }
        : fail('ready: unknown panel');
    }
    case 'rendered': {
      const panel = raw.panel as PanelKind;
      const charts = nonNegInt(raw, 'charts');
      if (!PANELS.includes(panel) || charts === null) return fail('rendered: bad panel or charts');
      return { ok: true, message: { type: 'rendered', panel, charts } };
    }
    case 'cancelTraining':
      return { ok: true, message: { type: 'cancelTraining' } };
    case 'openSettings':
      return { ok: true, message: { type: 'openSettings' } };
    case 'showAttention': {
      const translationId = nonNegInt(raw, 'translationId');
      return translationId === null
        ? fail('showAttention: translationId must be a whole number')
        : { ok: true, message: { type: 'showAttention', translationId } };
    }
    case 'translateSentence': {
      const sentence = str(raw, 'sentence', MAX_SENTENCE_CHARS);
      return sentence === null
        ? fail(
            `translateSentence: sentence must be a string of at most ${MAX_SENTENCE_CHARS} characters`,
          )
        : { ok: true, message: { type: 'translateSentence', sentence } };
    }
    case 'export': {
      const format = raw.format as (typeof EXPORT_FORMATS)[number];
      const suggestedName = str(raw, 'suggestedName', 200);
      const content = str(raw, 'content', MAX_EXPORT_CHARS);
      if (!EXPORT_FORMATS.includes(format)) return fail('export: format must be png, svg or json');
      if (suggestedName === null || /[\\/]/.test(suggestedName))
        return fail('export: bad file name');
      if (content === null) return fail('export: content missing or too large');
      if (format === 'png' && !content.startsWith('data:image/png;base64,')) {
        return fail('export: png content must be a data:image/png;base64 URL');
      }
      return { ok: true, message: { type: 'export', format, suggestedName, content } };
    }
    case 'webviewError': {
      const message = str(raw, 'message', 10_000);
      return message === null
        ? fail('webviewError: message must be a string')
        : { ok: true, message: { type: 'webviewError', message } };
    }
    default:
      return fail(`unknown message type ${JSON.stringify(raw.type).slice(0, 40)}`);
  }
}

const HOST_TYPES: readonly HostToWebview['type'][] = [
  'trainingState',
  'trainingEpoch',
  'translations',
  'attentionData',
  'exportResult',
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
    case 'translations':
      return Array.isArray(m.items)
        ? { ok: true, message: m }
        : fail('translations: items missing');
    case 'attentionData':
      return Array.isArray(m.snapshots)
        ? { ok: true, message: m }
        : fail('attentionData: snapshots missing');
    default:
      return { ok: true, message: m };
  }
}
