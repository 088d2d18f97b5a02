/**
 * The head view (bertviz): one layer of one kind of attention as lines from the query tokens
 * (left) to the key tokens (right), a colour per head, opacity = weight. Hovering or focusing a
 * token shows only its lines; a click, Enter or Space pins it. A coloured checkbox per head
 * switches the head on or off (the panel translates again without it); a double-click, or
 * Shift+Enter, leaves that head alone on in its layer.
 *
 * Drawn as SVG by plain DOM code rather than a Vega-Lite spec: the tokens must be focusable
 * buttons with their own pressed state, and hovering redraws only the lines (a few hundred
 * <line>s) without re-embedding a view. The geometry is the pure specs/headView.ts.
 */
import type { AttentionKind } from '../../src/decode/attentionMaps';
import type { HeadRef } from '../../src/shared/protocol';
import type { AttentionSection } from '../specs/attentionSections';
import {
  HeadViewFocus,
  ROW_HEIGHT,
  headColour,
  headViewModel,
  headViewSummary,
  rowY,
} from '../specs/headView';
import { h, replaceChildren } from '../shared/dom';
import { toolbar } from '../shared/layout';

const SVG = 'http://www.w3.org/2000/svg';
const TOKEN_COLUMN = 120;

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

export interface HeadViewProps {
  sections: AttentionSection[];
  kind: AttentionKind;
  layer: number;
  pinned: HeadViewFocus | null;
  isOff(ref: HeadRef): boolean;
  /** Heads can be switched off (the current translation is shown, not a training snapshot). */
  canSwitch: boolean;
}

export interface HeadViewHandlers {
  onSelect(kind: AttentionKind, layer: number): void;
  onPin(pinned: HeadViewFocus | null): void;
  onHead(ref: HeadRef, on: boolean): void;
  onSolo(ref: HeadRef): void;
}

/** What the drawing needs between renders: the parts it redraws and the pointer's focus. */
interface HeadViewState {
  handlers: HeadViewHandlers;
  props: HeadViewProps | null;
  hover: HeadViewFocus | null;
  width: number;
  tokensKey: string;
  kindSelect: HTMLSelectElement;
  layerSelect: HTMLSelectElement;
  checks: HTMLElement;
  summary: HTMLElement;
  drawing: SVGSVGElement;
  lineGroup: SVGGElement;
}

function section(st: HeadViewState): AttentionSection | null {
  const p = st.props;
  return p?.sections.find((s) => s.kind === p.kind) ?? null;
}

function isPinned(st: HeadViewState, side: HeadViewFocus['side'], index: number): boolean {
  return st.props?.pinned?.side === side && st.props.pinned.index === index;
}

function pin(st: HeadViewState, side: HeadViewFocus['side'], index: number): void {
  st.handlers.onPin(isPinned(st, side, index) ? null : { side, index });
}

/** Only the lines, and which token is active: hovering never replaces the tokens under it. */
function drawLines(st: HeadViewState): void {
  const s = section(st);
  if (!st.props || !s) return;
  const p = st.props;
  const on = Array.from(
    { length: s.heads },
    (_, head) => !p.isOff({ kind: s.kind, layer: p.layer, head }),
  );
  const focus = st.hover ?? p.pinned;
  const model = headViewModel(s, p.layer, on, focus);
  replaceChildren(
    st.lineGroup,
    model.lines.map((l) =>
      svg('line', {
        x1: TOKEN_COLUMN,
        y1: rowY(l.query),
        x2: st.width - TOKEN_COLUMN,
        y2: rowY(l.key),
        stroke: headColour(l.head),
        'stroke-opacity': l.opacity.toFixed(3),
        'stroke-width': 2,
        'data-head': l.head,
        'data-query': l.query,
        'data-key': l.key,
      }),
    ),
  );
  for (const t of st.drawing.querySelectorAll<SVGElement>('.hv-token')) {
    const side = t.dataset.side as HeadViewFocus['side'];
    const index = Number(t.dataset.index);
    t.classList.toggle('active', focus?.side === side && focus.index === index);
    t.setAttribute('aria-pressed', String(isPinned(st, side, index)));
  }
  st.summary.textContent = headViewSummary(model, focus);
}

/** One token of a column: hover or focus shows its lines, a click, Enter or Space pins it. */
function tokenText(
  st: HeadViewState,
  side: HeadViewFocus['side'],
  token: string,
  index: number,
  x: number,
  anchor: string,
) {
  const t = svg('text', {
    x,
    y: rowY(index),
    'text-anchor': anchor,
    'dominant-baseline': 'middle',
    class: `hv-token hv-${side}`,
    tabindex: 0,
    role: 'button',
    'aria-label': `${side} ${index}: ${token}`,
    'data-side': side,
    'data-index': index,
  });
  t.textContent = token;
  const setHover = (f: HeadViewFocus | null) => {
    st.hover = f;
    drawLines(st);
  };
  t.addEventListener('mouseenter', () => setHover({ side, index }));
  t.addEventListener('mouseleave', () => setHover(null));
  t.addEventListener('focus', () => setHover({ side, index }));
  t.addEventListener('blur', () => setHover(null));
  t.addEventListener('click', () => pin(st, side, index));
  t.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter' && e.key !== ' ') return;
    e.preventDefault();
    pin(st, side, index);
  });
  return t;
}

/** The panel's width for the drawing (480 while hidden), at least room for two columns. */
function drawingWidth(st: HeadViewState): number {
  return Math.max(2 * TOKEN_COLUMN + 60, (st.drawing.parentElement?.clientWidth || 480) - 8);
}

/** The two columns of tokens and the drawing's size (a new section, kind or layer). */
function drawTokens(st: HeadViewState, s: AttentionSection): void {
  const width = (st.width = drawingWidth(st));
  const height = Math.max(s.queries.length, s.keys.length) * ROW_HEIGHT;
  st.drawing.setAttribute('width', String(width));
  st.drawing.setAttribute('height', String(height));
  st.drawing.setAttribute('viewBox', `0 0 ${width} ${height}`);
  replaceChildren(
    st.drawing,
    st.lineGroup,
    ...s.queries.map((t, i) => tokenText(st, 'query', t, i, TOKEN_COLUMN - 6, 'end')),
    ...s.keys.map((t, i) => tokenText(st, 'key', t, i, width - TOKEN_COLUMN + 6, 'start')),
  );
}

/** One head's coloured checkbox: click switches it, double-click or Shift+Enter solos it. */
function headCheck(handlers: HeadViewHandlers, p: HeadViewProps, ref: HeadRef): HTMLElement {
  const { head } = ref;
  const box = h('input', {
    type: 'checkbox',
    id: `hv-head-${head}`,
    class: 'head-check-box',
    'data-head': head,
    checked: !p.isOff(ref),
    disabled: !p.canSwitch,
    title: 'Click: switch this head on or off. Double-click or Shift+Enter: this head alone.',
  });
  box.addEventListener('change', () => handlers.onHead(ref, box.checked));
  box.addEventListener('dblclick', () => handlers.onSolo(ref));
  box.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    if (e.shiftKey) handlers.onSolo(ref);
    else handlers.onHead(ref, !box.checked);
  });
  const label = h(
    'label',
    { class: 'head-check', for: `hv-head-${head}` },
    box,
    `Head ${head + 1}`,
  );
  label.style.setProperty('--head-colour', headColour(head));
  return label;
}

function drawChecks(st: HeadViewState, s: AttentionSection, p: HeadViewProps): void {
  replaceChildren(
    st.checks,
    Array.from({ length: s.heads }, (_, head) =>
      headCheck(st.handlers, p, { kind: s.kind, layer: p.layer, head }),
    ),
  );
}

function drawSelects(st: HeadViewState, next: HeadViewProps, s: AttentionSection | null): void {
  replaceChildren(
    st.kindSelect,
    next.sections.map((x) =>
      h('option', { value: x.kind, selected: x.kind === next.kind }, x.title),
    ),
  );
  replaceChildren(
    st.layerSelect,
    Array.from({ length: s?.layers ?? 0 }, (_, l) =>
      h('option', { value: l, selected: l === next.layer }, `Layer ${l + 1}`),
    ),
  );
}

function render(st: HeadViewState, next: HeadViewProps): void {
  st.props = next;
  const s = section(st);
  drawSelects(st, next, s);
  if (!s) return;
  drawChecks(st, s, next);
  // The tokens are redrawn only for other tokens: replacing the one under the pointer or
  // the keyboard focus would lose its hover and focus.
  const key = JSON.stringify([s.kind, next.layer, s.queries, s.keys, drawingWidth(st)]);
  if (key !== st.tokensKey) {
    st.tokensKey = key;
    st.hover = null;
    drawTokens(st, s);
  }
  drawLines(st);
}

function initialState(handlers: HeadViewHandlers): HeadViewState {
  return {
    handlers,
    props: null,
    hover: null,
    width: 480,
    tokensKey: '',
    kindSelect: h('select', { id: 'hv-kind', 'aria-label': 'Kind of attention' }),
    layerSelect: h('select', { id: 'hv-layer', 'aria-label': 'Layer' }),
    checks: h('div', { class: 'head-checks', role: 'group', 'aria-label': 'Heads' }),
    summary: h('p', { id: 'hv-summary', class: 'visually-hidden', 'aria-live': 'polite' }),
    drawing: svg('svg', { class: 'head-lines', role: 'group', 'aria-describedby': 'hv-summary' }),
    lineGroup: svg('g', { class: 'hv-lines' }),
  };
}

export function createHeadView(handlers: HeadViewHandlers) {
  const st = initialState(handlers);
  const select = () =>
    handlers.onSelect(st.kindSelect.value as AttentionKind, Number(st.layerSelect.value));
  st.kindSelect.addEventListener('change', select);
  st.layerSelect.addEventListener('change', select);
  const element = h(
    'section',
    { id: 'head-view', class: 'head-view', 'aria-label': 'Head view' },
    toolbar(
      h('label', { for: 'hv-kind' }, 'Attention '),
      st.kindSelect,
      h('label', { for: 'hv-layer' }, 'Layer '),
      st.layerSelect,
    ),
    st.checks,
    h('div', { class: 'head-lines-box' }, st.drawing),
    st.summary,
  );
  return { element, render: (next: HeadViewProps) => render(st, next) };
}

export type HeadView = ReturnType<typeof createHeadView>;
