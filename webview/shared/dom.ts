/** Tiny DOM helpers. Text always goes in as text nodes (tokens and sentences are untrusted). */

type Child = Node | string | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined>;

/** h('button', { class: 'primary', type: 'button' }, 'Cancel') */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, ...children);
  return el;
}

export function append(el: Element, ...children: (Child | Child[])[]): void {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
}

/** Replaces an element's children. */
export function replaceChildren(el: Element, ...children: (Child | Child[])[]): void {
  el.replaceChildren();
  append(el, ...children);
}

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
    h('span', { class: 'codicon-like', 'aria-hidden': 'true' }, '⚠'),
    ` Not in the training vocabulary: ${[...new Set(unknown)].join(', ')}. `,
    'The model saw ',
    h('code', {}, UNK),
    ' instead.',
  );
}

/** The heatmaps' key for masked cells: a grey swatch and what masks them here. */
export function maskedKey(what: string): HTMLElement {
  return h(
    'span',
    { class: 'masked-key' },
    h('span', { class: 'masked-swatch', 'aria-hidden': 'true' }),
    ` masked (${what})`,
  );
}
