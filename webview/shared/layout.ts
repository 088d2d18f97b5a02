/**
 * The building blocks every panel is laid out with, so that the four panels look and read alike:
 * the header, titled sections, toolbars, figures, and the empty state that says what to do next.
 * Styles: media/styles/base.css.
 */
import { Children, h } from './dom';

/** `<header class="panel-header">`: the panel's <h1> and what belongs under it. */
export function panelHeader(title: string, ...children: Children): HTMLElement {
  return h('header', { class: 'panel-header' }, h('h1', {}, title), ...children);
}

export interface SectionOptions {
  /** The heading's id is `${id}-title`; it names the section (aria-labelledby). */
  id: string;
  title: Children[number] | Children;
  /** `card` (default): a bordered box; `plain`: heading only, e.g. one kind of attention. */
  variant?: 'card' | 'plain';
  /** The heading is read by screen readers but not shown. */
  hideTitle?: boolean;
  /** More classes and attributes of the <section>. */
  className?: string;
  attrs?: Record<string, string | number>;
}

/** A titled part of a panel: `<section class="card">` with an <h2>. */
export function section(o: SectionOptions, ...children: Children): HTMLElement {
  const classes = [o.variant === 'plain' ? null : 'card', o.className].filter(Boolean).join(' ');
  return h(
    'section',
    { class: classes || null, ...o.attrs, 'aria-labelledby': `${o.id}-title` },
    h(
      'h2',
      { id: `${o.id}-title`, class: o.hideTitle ? 'visually-hidden' : null },
      ...[o.title].flat(),
    ),
    ...children,
  );
}

/** A row of controls that wraps in a narrow panel. */
export function toolbar(...children: Children): HTMLElement {
  return h('div', { class: 'toolbar' }, ...children);
}

/** A muted label inside a toolbar ("Export the chart:"). */
export function toolbarLabel(text: string): HTMLElement {
  return h('span', { class: 'inline-label' }, text);
}

/** One figure of a `<dl class="stats">`: a small caption over a large number; `title` says more. */
export function stat(label: string, value: string, id: string, title?: string): HTMLElement {
  return h('div', { class: 'stat', title }, h('dt', {}, label), h('dd', { id }, value));
}

/** A button of an empty state: the next step, e.g. "Train Transformer". */
export interface EmptyAction {
  id: string;
  text: string;
  /** The first action is the primary button, the others secondary. */
  onClick(): void;
}

export interface EmptyStateOptions {
  id?: string;
  hidden?: boolean;
  /** `li` inside a list (the translations); `p` elsewhere (a `div` when it has actions). */
  tag?: 'p' | 'li';
  /** Buttons that take the next step. */
  actions?: EmptyAction[];
}

/** What a panel, or a part of it, shows while there is nothing to show: what to do next. */
export function emptyState(text: string, o: EmptyStateOptions = {}): HTMLElement {
  const attrs = { id: o.id, hidden: o.hidden };
  if (!o.actions?.length) return h(o.tag ?? 'p', { class: 'empty', ...attrs }, text);
  const buttons = o.actions.map((a, i) => {
    const b = h('button', { type: 'button', id: a.id, class: i ? 'secondary' : null }, a.text);
    b.addEventListener('click', () => a.onClick());
    return b;
  });
  return h(
    o.tag === 'li' ? 'li' : 'div',
    { class: 'empty-state', ...attrs },
    h('p', { class: 'empty' }, text),
    h('div', { class: 'empty-actions' }, buttons),
  );
}
