/**
 * Words the model could not read: `<unk>` in its output, and the source words that are not in
 * the training vocabulary (they became `<unk>` on the way in), marked the same way in every panel.
 */
import type { SourceTruncation } from '../../src/shared/protocol';
import { h } from './dom';

export const UNK = '<unk>';

/** The text with each `<unk>` token wrapped in <mark class="unk">. */
export function withUnkMarked(text: string): Node[] {
  const parts = text.split(UNK);
  const out: Node[] = [];
  parts.forEach((part, i) => {
    if (i > 0) out.push(h('mark', { class: 'unk', title: 'unknown word' }, UNK));
    if (part) out.push(document.createTextNode(part));
  });
  return out;
}

/** The sentence with words whose lower-case form is an unknown token wrapped in <mark>. */
export function withUnknownWordsMarked(sentence: string, unknown: readonly string[]): Node[] {
  if (unknown.length === 0) return [document.createTextNode(sentence)];
  const set = new Set(unknown.map((t) => t.toLowerCase()));
  // Split on whitespace and on the punctuation the book's tokenizer separates, keeping them.
  const pieces = sentence.split(/(\s+|[,.!?])/);
  return pieces
    .filter((p) => p !== '')
    .map((p) =>
      set.has(p.toLowerCase())
        ? h('mark', { class: 'unk', title: 'not in the vocabulary: became <unk>' }, p)
        : document.createTextNode(p),
    );
}

/** "Unknown words: foo, bar (translated as <unk>)" or null. */
export function unknownNote(unknown: readonly string[]): HTMLElement | null {
  if (unknown.length === 0) return null;
  return h(
    'p',
    { class: 'note unk-note' },
    h('span', { 'aria-hidden': 'true' }, '⚠'),
    ` Not in the training vocabulary: ${[...new Set(unknown)].join(', ')}. `,
    'The model saw ',
    h('code', {}, UNK),
    ' instead.',
  );
}

/** "Cut to the first 10 of 120 tokens (after “x”)…" for a sentence longer than numSteps, or null. */
export function truncationNote(cut: SourceTruncation | undefined): HTMLElement | null {
  if (!cut) return null;
  return h(
    'p',
    { class: 'note cut-note' },
    h('span', { 'aria-hidden': 'true' }, '✂'),
    ` The model read only the first ${cut.keptTokens} of ${cut.totalTokens} tokens: the input was cut after “${cut.lastKept}” (before “${cut.firstCut}”). `,
    'Longer sentences need a larger ',
    h('code', {}, 'transformer.numSteps'),
    ' and retraining.',
  );
}
