/**
 * Attention in the editor: hovering or focusing an output token in the Translations panel
 * highlights the source words it attended to in the editor the selection came from (one
 * decoration type per strength bucket, since a type's colour is fixed), and a hover on a
 * translated source word lists the output tokens that attended to it; both by the layer and head
 * (or mean over heads) chosen in the panel. The mapping is pure and unit-tested in
 * src/shared/sourceAttention.ts; where the sentences sit is ./sourcePlaces.ts, dropped when their
 * editor or document closes, the text changes, or the Translations panel closes.
 */
import * as vscode from 'vscode';
import {
  HIGHLIGHT_BUCKETS,
  HeadChoice,
  bucketTokens,
  crossWeights,
  hoverText,
  locateSources,
  sourceTokenSpans,
} from '../shared/sourceAttention';
import type { TranslationItem } from '../shared/protocol';
import { SourcePlaces } from './sourcePlaces';

/** What the test API reads: the highlighted ranges per bucket (weakest first), the sentences
 * whose places are kept, and the panel's choice (null: none yet, the last layer's mean). */
export interface SourceHighlightState {
  uri: string | null;
  buckets: { line: number; start: number; end: number }[][];
  places: { id: number; uri: string; line: number }[];
  choice: HeadChoice | null;
}

/** The document a tab shows, as a URI string (text editors; not webviews, not diffs). */
function tabUri(tab: vscode.Tab): string | null {
  // Duck-typed: `instanceof vscode.TabInputText` is not reliable in code-server (see
  // src/panels/panelRegistry.ts, webviewTabs).
  const uri = (tab.input as { uri?: { scheme?: unknown } } | undefined)?.uri;
  return uri && typeof uri.scheme === 'string' ? String(uri) : null;
}

function isInSomeTab(uri: string): boolean {
  return vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => tabUri(t) === uri));
}

export class SourceHighlighter implements vscode.Disposable {
  private readonly places = new SourcePlaces();
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
        if (e.contentChanges.length > 0) this.forget(e.document.uri.toString());
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => this.forget(doc.uri.toString())),
      // A closed editor's document can stay open (unseen) for minutes: its places go with its
      // last tab, not with the document.
      vscode.window.tabGroups.onDidChangeTabs((e) => {
        for (const uri of e.closed.map(tabUri)) if (uri && !isInSomeTab(uri)) this.forget(uri);
      }),
      // A hidden editor loses its decorations and its TextEditor object: keep neither.
      vscode.window.onDidChangeVisibleTextEditors((editors) => {
        if (this.shown && !editors.includes(this.shown.editor)) this.shown = null;
      }),
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
    this.places.keepOnly(this.items().map((it) => it.id));
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
      places: this.places.list(),
      choice: this.choice,
    };
  }

  /** The Translations panel closed: nothing is highlighted or hovered until the next Translate
   * Selection, and its choice goes with it (a new panel sends its own when it opens). */
  forgetAll(): void {
    this.clear();
    this.places.clear();
    this.choice = null;
  }

  dispose(): void {
    this.forgetAll();
    for (const d of this.disposables) d.dispose();
  }

  private clear(): void {
    if (!this.shown) return;
    for (const type of this.types) this.shown.editor.setDecorations(type, []);
    this.shown = null;
  }

  /** The document changed or closed, or its last editor did: its highlight and places go. */
  private forget(uri: string): void {
    if (this.shown?.editor.document.uri.toString() === uri) this.clear();
    this.places.forgetDocument(uri);
  }

  private hover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    for (const [id, place] of this.places.onLine(doc.uri.toString(), pos.line)) {
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
