import { LIMITS } from '../config/hyperparameters';
import { InteropError, InteropLimits, fail, formatBytes } from './errors';

/**
 * What a model file says besides its tensors: the vocabularies and the hyperparameters that the
 * shapes cannot tell. The .pt dict and the .safetensors sidecar use the same keys, the book's:
 * `src_vocab`, `tgt_vocab` (idx_to_token lists), `num_heads`, `num_steps` (optional, default 10)
 * and `dropout` (optional, default the book's 0.1; read, never written: the .pt could not hold it
 * for torch 1.13's weights_only loader, and the sidecar keeps the same keys).
 */
export interface ModelMeta {
  srcVocab: string[];
  tgtVocab: string[];
  /** Missing is allowed only where the shapes tell it (additive attention). */
  numHeads?: number;
  numSteps: number;
  dropout: number;
}

/** How the book's notebook saves a model that this extension opens (quoted in messages). */
export const SAVE_SNIPPET =
  "torch.save({'net': net.state_dict(), 'src_vocab': src_vocab.idx_to_token, " +
  "'tgt_vocab': tgt_vocab.idx_to_token, 'num_heads': num_heads, 'num_steps': num_steps}, path)";

export const DEFAULT_NUM_STEPS = 10;
export const DEFAULT_DROPOUT = 0.1;

/** The tokens every vocabulary of the book has and decoding needs. */
const RESERVED = ['<pad>', '<bos>', '<eos>'];

/** Checks the book's keys in `record` (a .pt's dict or a sidecar); `where` names the source. */
export function parseMeta(
  record: Record<string, unknown>,
  where: string,
  limits: InteropLimits,
): ModelMeta {
  const srcVocab = vocabulary(record.src_vocab, `${where}: src_vocab`, limits);
  const tgtVocab = vocabulary(record.tgt_vocab, `${where}: tgt_vocab`, limits);
  const numHeads =
    record.num_heads === undefined
      ? undefined
      : positiveInt(record.num_heads, `${where}: num_heads`);
  let numSteps = DEFAULT_NUM_STEPS;
  if (record.num_steps !== undefined) {
    numSteps = positiveInt(record.num_steps, `${where}: num_steps`);
    const { min, max } = LIMITS.numSteps;
    if (numSteps < min || numSteps > max) {
      fail(`${where}: num_steps must be from ${min} to ${max} (got ${numSteps})`);
    }
  }
  let dropout = DEFAULT_DROPOUT;
  if (record.dropout !== undefined) {
    const d = record.dropout;
    if (typeof d !== 'number' || !(d >= 0 && d < 1)) {
      fail(`${where}: dropout must be a number at least 0 and below 1 (got ${show(d)})`);
    }
    dropout = d;
  }
  return { srcVocab, tgtVocab, numHeads, numSteps, dropout };
}

function vocabulary(v: unknown, what: string, limits: InteropLimits): string[] {
  if (v === undefined) fail(`${what} is missing (save idx_to_token, the list of tokens)`);
  if (!Array.isArray(v)) fail(`${what} must be a list of strings (got ${show(v)})`);
  if (v.length > limits.maxVocab)
    fail(`${what} has ${v.length} tokens (at most ${limits.maxVocab})`);
  const seen = new Map<string, number>();
  v.forEach((token: unknown, i) => {
    if (typeof token !== 'string') fail(`${what}[${i}] is ${show(token)}, not a string`);
    const first = seen.get(token);
    if (first !== undefined)
      fail(`${what} lists ${JSON.stringify(token)} twice (at ${first} and ${i})`);
    seen.set(token, i);
  });
  if (v[0] !== '<unk>')
    fail(`${what}[0] must be "<unk>", as in the book's Vocab (got ${show(v[0])})`);
  const missing = RESERVED.filter((t) => !seen.has(t));
  if (missing.length) fail(`${what} lacks the reserved tokens ${missing.join(', ')}`);
  return v as string[];
}

function positiveInt(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) {
    fail(`${what} must be a positive integer (got ${show(v)})`);
  }
  return v;
}

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.slice(0, 40));
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (v === null) return 'null';
  return typeof v === 'object' ? 'an object' : String(v);
}

/** The sidecar beside `model.safetensors`: `model.json` (same folder, same stem). */
export function sidecarPathFor(safetensorsPath: string): string {
  return safetensorsPath.replace(/\.safetensors$/i, '') + '.json';
}

/** Parses sidecar JSON text into the book's keys. */
export function parseSidecar(text: string, where: string, limits: InteropLimits): ModelMeta {
  if (text.length > limits.maxSidecarBytes) {
    fail(
      `${where} is ${formatBytes(text.length)} (at most ${formatBytes(limits.maxSidecarBytes)})`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new InteropError(`${where} is not valid JSON (${(err as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    fail(`${where} must be a JSON object with src_vocab, tgt_vocab, num_heads and num_steps`);
  }
  return parseMeta(json as Record<string, unknown>, where, limits);
}

/** The sidecar's text for `meta` (one token per line, so diffs and reviews stay readable). */
export function formatSidecar(meta: ModelMeta): string {
  const body = {
    src_vocab: meta.srcVocab,
    tgt_vocab: meta.tgtVocab,
    num_heads: meta.numHeads,
    num_steps: meta.numSteps,
  };
  return JSON.stringify(body, null, 1) + '\n';
}
