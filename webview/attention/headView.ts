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

export function createHeadView(handlers: HeadViewHandlers) {
  const kindSelect = h('select', { id: 'hv-kind', 'aria-label': 'Kind of attention' });
  const layerSelect = h('select', { id: 'hv-layer', 'aria-label': 'Layer' });
  const checks = h('div', { class: 'head-checks', role: 'group', 'aria-label': 'Heads' });
  const summary = h('p', { id: 'hv-summary', class: 'visually-hidden', 'aria-live': 'polite' });
  const drawing = svg('svg', {
    class: 'head-lines',
    role: 'group',
    'aria-describedby': 'hv-summary',
  });
  let props: HeadViewProps | null = null;
  let hover: HeadViewFocus | null = null;

  const select = () =>
    handlers.onSelect(kindSelect.value as AttentionKind, Number(layerSelect.value));
  kindSelect.addEventListener('change', select);
  layerSelect.addEventListener('change', select);

  const section = () => props?.sections.find((s) => s.kind === props!.kind) ?? null;

  const lineGroup = svg('g', { class: 'hv-lines' });
  let width = 480;
  let tokensKey = '';

  const isPinned = (side: HeadViewFocus['side'], index: number) =>
    props?.pinned?.side === side && props.pinned.index === index;
  const pin = (side: HeadViewFocus['side'], index: number) =>
    handlers.onPin(isPinned(side, index) ? null : { side, index });

  /** Only the lines, and which token is active: hovering never replaces the tokens under it. */
  function drawLines(): void {
    const s = section();
    if (!props || !s) return;
    const p = props;
    const on = Array.from(
      { length: s.heads },
      (_, head) => !p.isOff({ kind: s.kind, layer: p.layer, head }),
    );
    const focus = hover ?? p.pinned;
    const model = headViewModel(s, p.layer, on, focus);
    replaceChildren(
      lineGroup,
      model.lines.map((l) =>
        svg('line', {
          x1: TOKEN_COLUMN,
          y1: rowY(l.query),
          x2: width - TOKEN_COLUMN,
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
    for (const t of drawing.querySelectorAll<SVGElement>('.hv-token')) {
      const side = t.dataset.side as HeadViewFocus['side'];
      const index = Number(t.dataset.index);
      t.classList.toggle('active', focus?.side === side && focus.index === index);
      t.setAttribute('aria-pressed', String(isPinned(side, index)));
    }
    summary.textContent = headViewSummary(model, focus);
  }

  function tokenColumn(side: HeadViewFocus['side'], list: string[], x: number, anchor: string) {
    return list.map((token, index) => {
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
        hover = f;
        drawLines();
      };
      t.addEventListener('mouseenter', () => setHover({ side, index }));
      t.addEventListener('mouseleave', () => setHover(null));
      t.addEventListener('focus', () => setHover({ side, index }));
      t.addEventListener('blur', () => setHover(null));
      t.addEventListener('click', () => pin(side, index));
      t.addEventListener('keydown', (e) => {
        if (e.key !== 'Enter' && e.key !== ' ') return;
        e.preventDefault();
        pin(side, index);
      });
      return t;
    });
  }

  /** The panel's width for the drawing (480 while hidden), at least room for two columns. */
  const drawingWidth = () =>
    Math.max(2 * TOKEN_COLUMN + 60, (drawing.parentElement?.clientWidth || 480) - 8);

  /** The two columns of tokens and the drawing's size (a new section, kind or layer). */
  function drawTokens(s: AttentionSection): void {
    width = drawingWidth();
    const height = Math.max(s.queries.length, s.keys.length) * ROW_HEIGHT;
    drawing.setAttribute('width', String(width));
    drawing.setAttribute('height', String(height));
    drawing.setAttribute('viewBox', `0 0 ${width} ${height}`);
    replaceChildren(
      drawing,
      lineGroup,
      ...tokenColumn('query', s.queries, TOKEN_COLUMN - 6, 'end'),
      ...tokenColumn('key', s.keys, width - TOKEN_COLUMN + 6, 'start'),
    );
  }

  function drawChecks(s: AttentionSection): void {
    const p = props!;
    replaceChildren(
      checks,
      Array.from({ length: s.heads }, (_, head) => {
        const ref = { kind: s.kind, layer: p.layer, head };
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
      }),
    );
  }

  const element = h(
    'section',
    { id: 'head-view', class: 'head-view', 'aria-label': 'Head view' },
    toolbar(
      h('label', { for: 'hv-kind' }, 'Attention '),
      kindSelect,
      h('label', { for: 'hv-layer' }, 'Layer '),
      layerSelect,
    ),
    checks,
    h('div', { class: 'head-lines-box' }, drawing),
    summary,
  );

  return {
    element,
    render(next: HeadViewProps): void {
      props = next;
      const s = section();
      replaceChildren(
        kindSelect,
        next.sections.map((x) =>
          h('option', { value: x.kind, selected: x.kind === next.kind }, x.title),
        ),
      );
      replaceChildren(
        layerSelect,
        Array.from({ length: s?.layers ?? 0 }, (_, l) =>
          h('option', { value: l, selected: l === next.layer }, `Layer ${l + 1}`),
        ),
      );
      if (!s) return;
      drawChecks(s);
      // The tokens are redrawn only for other tokens: replacing the one under the pointer or
      // the keyboard focus would lose its hover and focus.
      const key = JSON.stringify([s.kind, next.layer, s.queries, s.keys, drawingWidth()]);
      if (key !== tokensKey) {
        tokensKey = key;
        hover = null;
        drawTokens(s);
      }
      drawLines();
    },
  };
}

export type HeadView = ReturnType<typeof createHeadView>;
