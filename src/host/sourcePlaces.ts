/**
 * Where Translate Selection's sentences sit in their documents, by translation id: what the
 * editor highlight and the hover on source words need. No vscode import (unit-tested): the
 * highlighter (./sourceHighlight.ts) tells it what closed, and it drops what went with it, so
 * that nothing is kept for an editor, a document, a translation or a panel that is gone.
 */
import type { TokenSpan } from '../shared/sourceAttention';

/** Where a translated sentence sits in its document. */
export interface SourcePlace {
  /** The document's URI, as a string. */
  uri: string;
  line: number;
  /** Token spans as document characters of `line`. */
  spans: TokenSpan[];
}

export class SourcePlaces {
  private readonly byId = new Map<number, SourcePlace>();

  get(id: number): SourcePlace | undefined {
    return this.byId.get(id);
  }

  set(id: number, place: SourcePlace): void {
    this.byId.set(id, place);
  }

  /** The places on `line` of the document `uri`, with their translation ids. */
  onLine(uri: string, line: number): [number, SourcePlace][] {
    return [...this.byId].filter(([, p]) => p.uri === uri && p.line === line);
  }

  /** The document `uri` changed or its last editor closed: its offsets are stale or unseen. */
  forgetDocument(uri: string): void {
    for (const [id, place] of this.byId) if (place.uri === uri) this.byId.delete(id);
  }

  /** Keeps only the translations still listed (the panel keeps the newest 50). */
  keepOnly(ids: Iterable<number>): void {
    const live = new Set(ids);
    for (const id of this.byId.keys()) if (!live.has(id)) this.byId.delete(id);
  }

  clear(): void {
    this.byId.clear();
  }

  /** For the test API: every place kept, by id. */
  list(): { id: number; uri: string; line: number }[] {
    return [...this.byId].map(([id, p]) => ({ id, uri: p.uri, line: p.line }));
  }
}
