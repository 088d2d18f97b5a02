/**
 * Attention in the editor: hovering or focusing an output token in the Translations panel
 * highlights the source words it attended to in the editor the selection came from (one
 * decoration type per strength bucket, since a type's colour is fixed), and a hover on a
 * translated source word lists the output tokens that attended to it; both by the layer and head
 * (or mean over heads) chosen in the panel. The mapping is pure and unit-tested in
 * src/shared/sourceAttention.ts.
 */
import * as vscode from 'vscode';
import {
  HIGHLIGHT_BUCKETS,
  HeadChoice,
  TokenSpan,
  bucketTokens,
  crossWeights,
  hoverText,
  locateSources,
  sourceTokenSpans,
} from '../shared/sourceAttention';
import type { TranslationItem } from '../shared/protocol';

/** Where a translated sentence sits in its document. */
interface SourcePlace {
  uri: string;
  line: number;
  /** Token spans as document characters of `line`. */
  spans: TokenSpan[];
}

/** What the test API reads: the highlighted ranges per bucket (weakest first), and the panel's
 * choice (null: none yet, the last layer's mean). */
export interface SourceHighlightState {
  uri: string | null;
  buckets: { line: number; start: number; end: number }[][];
  choice: HeadChoice | null;
}

export class SourceHighlighter implements vscode.Disposable {
  private readonly places = new Map<number, SourcePlace>();
  private readonly types: vscode.TextEditorDecorationType[];
  private readonly disposables: vscode.Disposable[];
  private shown: { editor: vscode.TextEditor; ranges: vscode.Range[][] } | null = null;
  /** The Translations panel's choice, from its last highlightSource (the hover follows it). */
  private choice: HeadChoice | null = null;

  constructor(private readonly items: () => readonly TranslationItem[]) {
    this.types = Array.from({ length: HIGHLIGHT_BUCKETS }, (_, b) =>
      vscode.window.createTextEditorDecorationType({
        backgroundColor: new vscode.ThemeColor(`transformerExplorer.attentionHighlight${b + 1}`),
        rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
      }),
    );
    this.disposables = [
      ...this.types,
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0) this.forget(e.document.uri);
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => this.forget(doc.uri)),
      vscode.languages.registerHoverProvider(
        { pattern: '**' },
        { provideHover: (doc, pos) => this.hover(doc, pos) },
      ),
    ];
  }

  /**
   * Remembers where Translate Selection's sentences came from: `items` are the translations of
   * parseSelection over the selections' text joined by newlines, in order. Anything that does
   * not line up (a sentence translated differently) is left out rather than guessed.
   */
  remember(
    document: vscode.TextDocument,
    selections: readonly vscode.Selection[],
    items: readonly TranslationItem[],
  ): void {
    const located = selections.flatMap((sel) => {
      const base = document.offsetAt(sel.start);
      return locateSources(document.getText(sel)).map((l) => ({ ...l, offset: base + l.offset }));
    });
    items.forEach((item, i) => {
      if (located[i]?.source !== item.source) return;
      const start = document.positionAt(located[i].offset);
      const spans = sourceTokenSpans(item.source).map((s) => ({
        start: start.character + s.start,
        end: start.character + s.end,
      }));
      this.places.set(item.id, { uri: document.uri.toString(), line: start.line, spans });
    });
  }

  /**
   * Highlights the source words output step `target` of translation `id` attended to, by
   * `choice` (kept for the hover); null (or an unknown translation, step, layer or head) clears
   * the highlight.
   */
  highlight(id: number, target: number | null, choice: HeadChoice): void {
    this.choice = choice;
    this.clear();
    const place = this.places.get(id);
    const item = this.items().find((it) => it.id === id);
    if (target === null || !place || !item) return;
    const editor = vscode.window.visibleTextEditors.find(
      (e) => e.document.uri.toString() === place.uri,
    );
    if (!editor) return;
    const weights = crossWeights(item.attention, target, place.spans.length, choice);
    const ranges = bucketTokens(weights).map((tokens) =>
      tokens.map((k) => {
        const { start, end } = place.spans[k];
        return new vscode.Range(place.line, start, place.line, end);
      }),
    );
    ranges.forEach((r, b) => editor.setDecorations(this.types[b], r));
    this.shown = { editor, ranges };
  }

  /** For the test API: what is highlighted now. */
  state(): SourceHighlightState {
    const shown = this.shown;
    return {
      uri: shown?.editor.document.uri.toString() ?? null,
      buckets: (shown?.ranges ?? this.types.map(() => [])).map((ranges) =>
        ranges.map((r) => ({ line: r.start.line, start: r.start.character, end: r.end.character })),
      ),
      choice: this.choice,
    };
  }

  dispose(): void {
    this.clear();
    for (const d of this.disposables) d.dispose();
    this.places.clear();
  }

  private clear(): void {
    if (!this.shown) return;
    for (const type of this.types) this.shown.editor.setDecorations(type, []);
    this.shown = null;
  }

  /** The document changed or closed: its offsets are stale, so its highlight and places go. */
  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    if (this.shown?.editor.document.uri.toString() === key) this.clear();
    for (const [id, place] of this.places) if (place.uri === key) this.places.delete(id);
  }

  private hover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const key = doc.uri.toString();
    for (const [id, place] of this.places) {
      if (place.uri !== key || place.line !== pos.line) continue;
      const k = place.spans.findIndex((s) => s.start <= pos.character && pos.character < s.end);
      const item = this.items().find((it) => it.id === id);
      const choice = this.choice ?? undefined;
      const text = k >= 0 && item ? hoverText(item.attention, k, place.spans.length, choice) : null;
      if (text === null) continue;
      const { start, end } = place.spans[k];
      return new vscode.Hover(
        new vscode.MarkdownString(text),
        new vscode.Range(pos.line, start, pos.line, end),
      );
    }
    return undefined;
  }
}
