/**
 * The keyboard over one grid's heatmaps: each heatmap is one tab stop; inside it the arrow keys,
 * Home / End and PageUp / PageDown move a focus ring over the cells (specs/cellNavigation.ts),
 * the focused cell's query, key and weight are said once through a live region and shown in a
 * tip beside the cell; Enter pins the tip (it stays when the focus leaves), Escape unpins it. A
 * click puts the focus on the clicked cell. Styles: media/styles/charts.css (.cell-focus,
 * .cell-tip).
 */
import type { AttentionSection } from '../specs/attentionSections';
import { CellPos, cellSentence, nextCell, readCell } from '../specs/cellNavigation';
import { positionLabels } from '../specs/heatmap';
import { h, replaceChildren } from './dom';
import type { Chart } from './render';

/** One heatmap of the grid, as the focus needs it. */
export interface FocusTarget {
  layer: number;
  head: number;
  figure: HTMLElement;
  chartEl: HTMLElement;
  chart: Chart | null;
  /** The tip's title when "Layer n · head m" is not what the heatmap is (the rollout map). */
  name?: string;
}

export interface CellFocus {
  /** The live region and the keys' description: both go into the grid's box. */
  elements: HTMLElement[];
  /** Makes the heatmap a tab stop that moves over its cells. */
  attach(target: FocusTarget): void;
  /** Other weights (another snapshot): the tip shows them, nothing is announced. */
  refresh(): void;
  dispose(): void;
}

let helpIds = 0;

const HELP =
  'Arrow keys move between cells; Home and End: first and last key; PageUp and PageDown: ' +
  'first and last query; Enter pins the value, Escape unpins it.';

/** A ring over a cell and its tip beside it: one follows the focus, one marks the pin. */
interface Marker {
  ring: HTMLElement;
  tip: HTMLElement;
}

function marker(kind: 'focus' | 'pin'): Marker {
  const ring = h('div', { class: `cell-focus ${kind}`, 'aria-hidden': 'true' });
  const tip = h('div', { class: `cell-tip ${kind}`, 'aria-hidden': 'true', hidden: true });
  document.body.append(tip);
  return { ring, tip };
}

/** What the focus of one grid knows, and how it draws and says it. */
interface FocusState {
  section(): AttentionSection;
  positions: Map<FocusTarget, CellPos>;
  active: FocusTarget | null;
  pinned: { target: FocusTarget; pos: CellPos } | null;
  /** Escape hid the focus tip until the next move. */
  tipHidden: boolean;
  show(): void;
  moveTo(t: FocusTarget, pos: CellPos): void;
}

const posOf = (st: FocusState, t: FocusTarget): CellPos => st.positions.get(t) ?? { q: 0, k: 0 };

export function createCellFocus(section: () => AttentionSection): CellFocus {
  const helpId = `heatmap-keys-${++helpIds}`;
  const live = h('p', {
    class: 'visually-hidden heatmap-live',
    role: 'status',
    'aria-live': 'polite',
  });
  const help = h('p', { class: 'visually-hidden', id: helpId }, HELP);
  const focus = marker('focus');
  const pin = marker('pin');
  const st: FocusState = {
    section,
    positions: new Map(),
    active: null,
    pinned: null,
    tipHidden: false,
    /** Both markers: the focused cell, and the pinned one (unless it is the focused one). */
    show() {
      const s = section();
      const at = st.active ? posOf(st, st.active) : null;
      const p = st.pinned;
      const same = !!p && !!at && st.active === p.target && at.q === p.pos.q && at.k === p.pos.k;
      place(focus, s, st.active, at, st.tipHidden ? 'ring' : 'both', same);
      place(pin, s, p?.target ?? null, p?.pos ?? null, same ? 'none' : 'both', true);
    },
    moveTo(t, pos) {
      st.positions.set(t, pos);
      st.tipHidden = false;
      st.show();
      live.textContent = cellSentence(readCell(section(), t.layer, t.head, pos));
    },
  };
  return {
    elements: [live, help],
    attach: (t) => attach(t, st, helpId),
    refresh: () => st.show(),
    dispose() {
      for (const m of [focus, pin]) {
        m.ring.remove();
        m.tip.remove();
      }
    },
  };
}

/** Makes `t` a tab stop: focus, keys, and a click on a cell. */
function attach(t: FocusTarget, st: FocusState, helpId: string): void {
  const f = t.figure;
  f.tabIndex = 0;
  f.setAttribute('role', 'application');
  f.setAttribute('aria-roledescription', 'heatmap');
  f.setAttribute('aria-describedby', helpId);
  f.addEventListener('focus', () => {
    st.active = t;
    st.moveTo(t, posOf(st, t));
  });
  f.addEventListener('blur', () => {
    st.active = null;
    st.show();
  });
  f.addEventListener('keydown', (e) => {
    const s = st.section();
    const shape = { queries: s.queries.length, keys: s.keys.length };
    const next = nextCell(posOf(st, t), e.key, e.ctrlKey || e.metaKey, shape);
    if (next) st.moveTo(t, next);
    else if (e.key === 'Enter') st.pinned = { target: t, pos: posOf(st, t) };
    else if (e.key === 'Escape') {
      st.pinned = null;
      st.tipHidden = true;
    } else return;
    e.preventDefault();
    st.show();
  });
  f.addEventListener('click', (e) => {
    const pos = cellAt(t, st.section(), e.clientX, e.clientY);
    if (!pos) return;
    st.positions.set(t, pos);
    if (document.activeElement === f) st.moveTo(t, pos);
    else f.focus(); // its focus handler shows and announces the cell
  });
}

/** Puts a marker's ring (and tip) at `pos` of `t`, or takes it away. */
function place(
  m: Marker,
  s: AttentionSection,
  t: FocusTarget | null,
  pos: CellPos | null,
  what: 'both' | 'ring' | 'none',
  pinned: boolean,
): void {
  if (!t || !pos || what === 'none' || !placeRing(m.ring, t, s, pos)) {
    m.ring.remove();
    m.tip.hidden = true;
    return;
  }
  if (what === 'ring') {
    m.tip.hidden = true;
    return;
  }
  fillTip(m.tip, s, t, pos, pinned);
  placeTip(m.tip, m.ring);
}

/**
 * A cell's box inside the chart's element: the view's band scales, offset by the translation of
 * the SVG's top group (where vega put the plot after the axis labels; `view.origin()` stays
 * [0, 0] for these autosized specs).
 */
function cellBox(t: FocusTarget, s: AttentionSection, pos: CellPos) {
  const view = t.chart?.view;
  const top = t.chartEl.querySelector('svg > g');
  const m = top instanceof SVGGraphicsElement ? top.transform.baseVal.consolidate()?.matrix : null;
  if (!view || !m) return null;
  const x = view.scale('x');
  const y = view.scale('y');
  const kx = x?.(positionLabels(s.keys)[pos.k]);
  const qy = y?.(positionLabels(s.queries)[pos.q]);
  if (typeof kx !== 'number' || typeof qy !== 'number') return null;
  return { left: m.e + kx, top: m.f + qy, width: x.bandwidth(), height: y.bandwidth() };
}

/** Puts the ring over the cell; false when the chart is not drawn. */
function placeRing(ring: HTMLElement, t: FocusTarget, s: AttentionSection, pos: CellPos): boolean {
  const box = cellBox(t, s, pos);
  if (!box) return false;
  if (ring.parentElement !== t.chartEl) t.chartEl.append(ring);
  ring.style.left = `${box.left}px`;
  ring.style.top = `${box.top}px`;
  ring.style.width = `${box.width}px`;
  ring.style.height = `${box.height}px`;
  return true;
}

/** The cell under a click, from the view's band scales. */
function cellAt(t: FocusTarget, s: AttentionSection, clientX: number, clientY: number) {
  const first = cellBox(t, s, { q: 0, k: 0 });
  if (!first) return null;
  const r = t.chartEl.getBoundingClientRect();
  const k = Math.floor((clientX - r.left - first.left) / first.width);
  const q = Math.floor((clientY - r.top - first.top) / first.height);
  if (k < 0 || q < 0 || k >= s.keys.length || q >= s.queries.length) return null;
  return { q, k };
}

function fillTip(
  tip: HTMLElement,
  s: AttentionSection,
  t: FocusTarget,
  pos: CellPos,
  pinned: boolean,
): void {
  const r = readCell(s, t.layer, t.head, pos);
  tip.classList.toggle('pinned', pinned);
  const row = (key: string, value: string) =>
    h('tr', {}, h('td', { class: 'key' }, key), h('td', { class: 'value' }, value));
  replaceChildren(
    tip,
    h(
      'h2',
      {},
      `${t.name ?? `Layer ${t.layer + 1} · head ${t.head + 1}`}${pinned ? ' · pinned (Escape)' : ''}`,
    ),
    h('table', {}, row('query', r.query), row('key', r.key), row('weight', r.weight)),
  );
}

/** Beside the ring, in page coordinates (so it scrolls with the page); left of it near the edge. */
function placeTip(tip: HTMLElement, ring: HTMLElement): void {
  tip.hidden = false;
  const r = ring.getBoundingClientRect();
  const w = tip.offsetWidth;
  const right = r.right + 8 + w <= document.documentElement.clientWidth;
  tip.style.left = `${(right ? r.right + 8 : Math.max(0, r.left - 8 - w)) + window.scrollX}px`;
  tip.style.top = `${r.bottom + 4 + window.scrollY}px`;
}
