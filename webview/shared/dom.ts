/** Tiny DOM helpers. Text always goes in as text nodes (tokens and sentences are untrusted). */

export type Child = Node | string | null | undefined | false;
export type Children = (Child | Child[])[];
type Attrs = Record<string, string | number | boolean | null | undefined>;

/** h('button', { class: 'primary', type: 'button' }, 'Cancel') */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Children
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, ...children);
  return el;
}

export function append(el: Element, ...children: Children): void {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
}

/** Replaces an element's children. */
export function replaceChildren(el: Element, ...children: Children): void {
  el.replaceChildren();
  append(el, ...children);
}
