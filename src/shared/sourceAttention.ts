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
 * Which encoder–decoder weights the editor shows: one layer (0-based) and one head of it
 * (0-based), or the mean over its heads (`head` null). The Translations panel chooses it.
 */
export interface HeadChoice {
  layer: number;
  head: number | null;
}

/** Layers and heads of a translation's encoder–decoder attention (its model's size). */
export interface CrossShape {
  layers: number;
  heads: number;
}

export function crossShape(maps: AttentionMaps): CrossShape {
  return { layers: maps.encoderDecoder.length, heads: maps.encoderDecoder[0]?.length ?? 0 };
}

/** What the editor shows when nothing was chosen: the last layer, mean over its heads. */
export function lastLayerMean(shape: CrossShape): HeadChoice {
  return { layer: Math.max(0, shape.layers - 1), head: null };
}

/** Whether a model of this size has the chosen layer (and head). */
export function hasChoice(shape: CrossShape, choice: HeadChoice): boolean {
  return choice.layer < shape.layers && (choice.head === null || choice.head < shape.heads);
}

/**
 * `choice` made to fit a model of `shape`: the last layer's mean when none was made; a layer or
 * head the model lacks becomes its last layer or the mean (the panel's chooser lists no more).
 */
export function choiceWithin(choice: HeadChoice | null, shape: CrossShape): HeadChoice {
  if (!choice) return lastLayerMean(shape);
  const layer = Math.min(choice.layer, Math.max(0, shape.layers - 1));
  return { layer, head: choice.head !== null && choice.head < shape.heads ? choice.head : null };
}

/** "layer 2, mean over heads" or "layer 1, head 2" (1-based, as the panels number them). */
export function choiceLabel(choice: HeadChoice): string {
  const heads = choice.head === null ? 'mean over heads' : `head ${choice.head + 1}`;
  return `layer ${choice.layer + 1}, ${heads}`;
}

/**
 * Encoder–decoder weights of output step `target` on each source word, for `choice` (one head of
 * a layer, or the mean over its heads; by default the last layer's mean); `words` is the number
 * of source tokens in the line (tokens past numSteps get none). Empty when `target` is not a
 * step, or the model has no such layer or head.
 */
export function crossWeights(
  maps: AttentionMaps,
  target: number,
  words: number,
  choice: HeadChoice = lastLayerMean(crossShape(maps)),
): number[] {
  const all = maps.encoderDecoder[choice.layer];
  const layer = choice.head === null ? all : all?.slice(choice.head, choice.head + 1);
  if (!layer?.length || !hasChoice(crossShape(maps), choice)) return [];
  if (!Number.isInteger(target) || target < 0 || target >= (layer[0]?.length ?? 0)) return [];
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
 * it most, with their weights for `choice` (by default the last layer's mean). Null when the
 * model did not see the word, or has no such layer or head.
 */
export function hoverText(
  maps: AttentionMaps,
  word: number,
  words: number,
  choice: HeadChoice = lastLayerMean(crossShape(maps)),
  top = 3,
): string | null {
  if (word >= wordKeys(maps, words) || !hasChoice(crossShape(maps), choice)) return null;
  const steps = maps.outputTokens.map((token, t) => ({
    token,
    weight: crossWeights(maps, t, words, choice)[word] ?? 0,
  }));
  const best = steps.sort((a, b) => b.weight - a.weight).slice(0, top);
  if (best.length === 0) return null;
  const list = best.map((s) => `\`${s.token}\` ${s.weight.toFixed(2)}`).join(', ');
  return `**Attended to by** ${list} (encoder–decoder attention, ${choiceLabel(choice)})`;
}
