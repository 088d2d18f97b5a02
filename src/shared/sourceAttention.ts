/**
 * Attention in the editor, the pure part (no vscode import): where each source token sits in the
 * line the user selected, how strongly an output token attended to it (bucketed, because a
 * decoration type's colour is fixed), and the hover text for a source word.
 * src/host/sourceHighlight.ts puts these on the editor.
 */
import type { AttentionMaps } from '../decode/attentionMaps';

/** A token's characters in its source line: [start, end). */
export interface TokenSpan {
  start: number;
  end: number;
}

/** Decoration strengths: bucket b (0-based) is drawn at opacity (b + 1) / HIGHLIGHT_BUCKETS. */
export const HIGHLIGHT_BUCKETS = 5;
/** Weights below this are not drawn: a faint wash over every word would hide the few that count. */
export const MIN_HIGHLIGHT_WEIGHT = 0.05;

/** Characters the book's preprocessing splits off a word (a space is inserted before them). */
const PUNCT = /[,.!?]/;

/**
 * The character span of each token of `tokenizeSource(line)`, in `line` itself: whitespace
 * (no-break spaces included) separates words, and `, . ! ?` after any non-space character starts a
 * token of its own, as the book's preprocess_nmt does. An `<unk>` token still maps to its word.
 */
export function sourceTokenSpans(line: string): TokenSpan[] {
  const spans: TokenSpan[] = [];
  for (const word of line.matchAll(/[^\s\u00a0\u202f]+/g)) {
    const from = word.index;
    let start = from;
    for (let i = from + 1; i < from + word[0].length; i++) {
      if (PUNCT.test(line[i])) {
        spans.push({ start, end: i });
        start = i;
      }
    }
    spans.push({ start, end: from + word[0].length });
  }
  return spans;
}

/** A line parseSelection turns into a sentence: its (trimmed) source and where it starts. */
export interface LocatedSource {
  source: string;
  /** Offset of the source's first character in the text given. */
  offset: number;
}

/**
 * The sources of parseSelection(text), in its order, with where each starts in `text`: the same
 * lines it keeps (not blank, with a letter before any TAB), so result[i] belongs to its sentence i.
 */
export function locateSources(text: string): LocatedSource[] {
  const out: LocatedSource[] = [];
  let lineStart = 0;
  for (const line of text.split('\n')) {
    const raw = line.replace(/\r$/, '').split('\t')[0];
    if (line.trim() !== '' && /\p{L}/u.test(raw)) {
      const lead = raw.length - raw.trimStart().length;
      out.push({ source: raw.trim(), offset: lineStart + lead });
    }
    lineStart += line.length + 1;
  }
  return out;
}

/** Source keys that are real words the model saw: not `<eos>`, not padding, not cut. */
function wordKeys(maps: AttentionMaps, words: number): number {
  const keys = maps.encoderDecoder[0]?.[0]?.[0]?.length ?? 0;
  return Math.max(0, Math.min(words, keys, maps.sourceValidLen - 1));
}

/**
 * Encoder–decoder weights of output step `target` on each source word, averaged over the heads of
 * the last layer; `words` is the number of source tokens in the line (tokens past numSteps get
 * none). Empty when `target` is not a step.
 */
export function crossWeights(maps: AttentionMaps, target: number, words: number): number[] {
  const layer = maps.encoderDecoder[maps.encoderDecoder.length - 1];
  if (!layer?.length || !Number.isInteger(target) || target < 0) return [];
  if (target >= (layer[0]?.length ?? 0)) return [];
  const out: number[] = [];
  for (let k = 0; k < wordKeys(maps, words); k++) {
    let sum = 0;
    for (const head of layer) sum += head[target][k] ?? 0;
    out.push(sum / layer.length);
  }
  return out;
}

/** The decoration bucket of a weight, 0 … HIGHLIGHT_BUCKETS-1, or null when too weak to draw. */
export function weightBucket(weight: number): number | null {
  if (!(weight >= MIN_HIGHLIGHT_WEIGHT)) return null;
  return Math.min(HIGHLIGHT_BUCKETS - 1, Math.ceil(weight * HIGHLIGHT_BUCKETS) - 1);
}

/** Token indices per bucket for one output step: what the editor highlights. */
export function bucketTokens(weights: readonly number[]): number[][] {
  const buckets: number[][] = Array.from({ length: HIGHLIGHT_BUCKETS }, () => []);
  weights.forEach((w, k) => {
    const b = weightBucket(w);
    if (b !== null) buckets[b].push(k);
  });
  return buckets;
}

/**
 * Markdown for a hover on source word `word`: the (at most `top`) output tokens that attended to
 * it most, with their weights (last layer, mean over heads). Null when the model did not see it.
 */
export function hoverText(
  maps: AttentionMaps,
  word: number,
  words: number,
  top = 3,
): string | null {
  if (word >= wordKeys(maps, words)) return null;
  const steps = maps.outputTokens.map((token, t) => ({
    token,
    weight: crossWeights(maps, t, words)[word] ?? 0,
  }));
  const best = steps.sort((a, b) => b.weight - a.weight).slice(0, top);
  if (best.length === 0) return null;
  const list = best.map((s) => `\`${s.token}\` ${s.weight.toFixed(2)}`).join(', ');
  return `**Attended to by** ${list} (encoder–decoder attention, last layer, mean over heads)`;
}
