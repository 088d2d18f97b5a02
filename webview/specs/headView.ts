/**
 * The head view (bertviz's, after tensor2tensor's): one layer of one kind of attention as two
 * columns of tokens, queries on the left and keys on the right, with a line from query i to key
 * j for each head, its opacity the weight. Pure: the geometry and which lines show; the panel's
 * webview/attention/headView.ts draws it as SVG.
 */
import type { AttentionSection } from './attentionSections';

/** A token the pointer or keyboard is on (or that is pinned): only its lines show. */
export interface HeadViewFocus {
  side: 'query' | 'key';
  index: number;
}

export interface HeadViewLine {
  head: number;
  query: number;
  key: number;
  weight: number;
  /** The line's opacity: the weight, so a head's row of lines sums to one. */
  opacity: number;
}

export interface HeadViewModel {
  queries: string[];
  keys: string[];
  /** Heads drawn (on), in order. */
  heads: number[];
  lines: HeadViewLine[];
  /** Pixels: the taller column of tokens. */
  height: number;
}

/** Lines fainter than this are left out (they would not be seen, and cost SVG elements). */
export const MIN_LINE_WEIGHT = 0.02;
/** Vertical pixels per token row. */
export const ROW_HEIGHT = 20;

/**
 * The lines of `layer` of `section` for the heads `on` (a flag per head), or only those of the
 * focused token when there is one. Masked weights (null) draw nothing.
 */
export function headViewModel(
  section: AttentionSection,
  layer: number,
  on: readonly boolean[],
  focus: HeadViewFocus | null,
): HeadViewModel {
  const heads = on.flatMap((isOn, head) => (isOn && head < section.heads ? [head] : []));
  const lines: HeadViewLine[] = [];
  for (const head of heads) {
    const rows = section.grid[layer]?.[head] ?? [];
    rows.forEach((row, query) => {
      if (query >= section.queries.length) return;
      if (focus?.side === 'query' && focus.index !== query) return;
      row.forEach((w, key) => {
        if (w === null || w < MIN_LINE_WEIGHT || key >= section.keys.length) return;
        if (focus?.side === 'key' && focus.index !== key) return;
        lines.push({ head, query, key, weight: w, opacity: Math.min(1, w) });
      });
    });
  }
  const rows = Math.max(section.queries.length, section.keys.length);
  return { queries: section.queries, keys: section.keys, heads, lines, height: rows * ROW_HEIGHT };
}

/** The y of the centre of token row `i`. */
export function rowY(i: number): number {
  return i * ROW_HEIGHT + ROW_HEIGHT / 2;
}

/**
 * One colour per head from VS Code's chart palette (themed: light, dark, high contrast). More
 * heads than colours repeat them; the checkboxes say which is which.
 */
export const HEAD_COLOURS = [
  'var(--vscode-charts-blue)',
  'var(--vscode-charts-orange)',
  'var(--vscode-charts-green)',
  'var(--vscode-charts-purple)',
  'var(--vscode-charts-red)',
  'var(--vscode-charts-yellow)',
] as const;

export function headColour(head: number): string {
  return HEAD_COLOURS[head % HEAD_COLOURS.length];
}

/** For screen readers: per head on, where the focused token (or each query) attends most. */
export function headViewSummary(model: HeadViewModel, focus: HeadViewFocus | null): string {
  if (model.heads.length === 0) return 'Every head of this layer is switched off.';
  const parts = model.heads.map((head) => {
    const mine = model.lines.filter((l) => l.head === head);
    if (mine.length === 0) return `head ${head + 1}: no line above ${MIN_LINE_WEIGHT}`;
    const best = mine.reduce((a, b) => (b.weight > a.weight ? b : a));
    return (
      `head ${head + 1}: strongest ${model.queries[best.query]} → ${model.keys[best.key]} ` +
      `(${best.weight.toFixed(2)})`
    );
  });
  const what = focus
    ? `${focus.side} ${focus.side === 'query' ? model.queries[focus.index] : model.keys[focus.index]}`
    : 'every token';
  return `Lines of ${what}. ${parts.join('; ')}.`;
}
