/**
 * What the user selected, as sentences to translate (no vscode import: unit-tested).
 * A line `english<TAB>french` carries its own reference translation.
 */
export interface SentenceRequest {
  source: string;
  reference?: string;
}

export type SelectionResult =
  { ok: true; sentences: SentenceRequest[]; skipped: number } | { ok: false; message: string };

export const MAX_LINES = 50;
export const MAX_LINE_CHARS = 1000;

export function parseSelection(text: string): SelectionResult {
  if (text.trim() === '') {
    return { ok: false, message: 'Select some English text to translate (one sentence per line).' };
  }
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length > MAX_LINES) {
    return {
      ok: false,
      message: `The selection has ${lines.length} lines; translate at most ${MAX_LINES} at a time.`,
    };
  }
  const long = lines.findIndex((l) => l.length > MAX_LINE_CHARS);
  if (long >= 0) {
    return {
      ok: false,
      message:
        `Line ${long + 1} of the selection has ${lines[long].length} characters; the model reads ` +
        `short sentences (at most ${MAX_LINE_CHARS} characters, and only the first numSteps tokens).`,
    };
  }
  const sentences: SentenceRequest[] = [];
  let skipped = 0;
  for (const line of lines) {
    const [source, reference] = line.split('\t');
    if (!/\p{L}/u.test(source)) {
      skipped++;
      continue;
    }
    sentences.push(
      reference?.trim()
        ? { source: source.trim(), reference: reference.trim() }
        : { source: source.trim() },
    );
  }
  if (sentences.length === 0) {
    return {
      ok: false,
      message: 'The selection has no words to translate (only numbers, symbols or spaces).',
    };
  }
  return { ok: true, sentences, skipped };
}
