/**
 * The attention panel's explore parts wired to explore.ts: the "Heatmaps | Head view" switch,
 * the head view, a switch and a "Steps" button above each heatmap, the masked translation and
 * one head step by step. `render` draws them for what the panel shows; `onMessage` takes the
 * host's answers. Heads can be switched off only on the current translation (a training
 * snapshot is teacher-forced: there is nothing to translate again).
 */
import type { AttentionKind } from '../../src/decode/attentionMaps';
import type {
  HeadRef,
  HeadWalkthroughMessage,
  MaskedTranslationMessage,
} from '../../src/shared/protocol';
import type { AttentionSection } from '../specs/attentionSections';
import type { DisplayedView } from '../specs/attentionView';
import { h } from '../shared/dom';
import { segmented } from '../shared/segmented';
import * as ex from './explore';
import { AttentionView, explore } from './explore';
import { createHeadView } from './headView';
import { createMaskedView, headName } from './maskedView';
import { createWalkthroughView } from './walkthroughView';

/** What the panel last drew, and how to ask it to draw again. */
interface ExploringState {
  rerender: () => void;
  shown: { d: DisplayedView | null; sections: AttentionSection[] };
}

/** Heads switch only on the current translation (a training snapshot has nothing to redo). */
function canSwitch(st: ExploringState): boolean {
  return st.shown.d?.view === 'current' && explore.translationId !== null;
}

/** `change`, then the panel drawn again. */
function after(st: ExploringState, change: () => void): () => void {
  return () => {
    change();
    st.rerender();
  };
}

function numHeads(st: ExploringState, kind: AttentionKind): number {
  return st.shown.sections.find((s) => s.kind === kind)?.heads ?? 0;
}

function queryTokens(st: ExploringState, kind: AttentionKind): string[] {
  return st.shown.sections.find((s) => s.kind === kind)?.queries ?? [];
}

function toggleHead(st: ExploringState, ref: HeadRef): void {
  after(st, () => ex.setHead(ref, ex.isOff(ref)))();
}

function stepHead(st: ExploringState, ref: HeadRef): void {
  after(st, () => ex.walk({ ...ref, query: 0 }))();
}

function viewSwitchFor(st: ExploringState) {
  return segmented<AttentionView>({
    label: 'How to show the heads',
    options: [
      { value: 'heatmaps', text: 'Heatmaps', id: 'view-heatmaps' },
      { value: 'heads', text: 'Head view', id: 'view-heads' },
    ],
    onSelect: (view) => after(st, () => (explore.view = view))(),
  });
}

/** The head view with a "Step through a head" button in its toolbar. */
function headViewFor(st: ExploringState) {
  const headView = createHeadView({
    onSelect: (kind, layer) =>
      after(st, () => Object.assign(explore, { kind, layer, pinned: null }))(),
    onPin: (pinned) => after(st, () => (explore.pinned = pinned))(),
    onHead: (ref, on) => after(st, () => ex.setHead(ref, on))(),
    onSolo: (ref) => after(st, () => ex.soloHead(ref, numHeads(st, ref.kind)))(),
  });
  const stepButton = h(
    'button',
    { type: 'button', id: 'hv-steps', class: 'secondary' },
    'Step through a head',
  );
  headView.element.querySelector('.toolbar')?.append(stepButton);
  stepButton.addEventListener('click', () => {
    const query = explore.pinned?.side === 'query' ? explore.pinned.index : 0;
    const firstOn = Array.from({ length: numHeads(st, explore.kind) }, (_, head) => head).find(
      (head) => !ex.isOff({ kind: explore.kind, layer: explore.layer, head }),
    );
    ex.walk({ kind: explore.kind, layer: explore.layer, head: firstOn ?? 0, query });
    st.rerender();
  });
  return headView;
}

/**
 * A switch and a "Steps" button above the heatmap of one head. They are not tab stops: Tab
 * moves from heatmap to heatmap (webview/shared/cellFocus.ts), and on a focused heatmap the
 * keys H (switch the head) and S (step by step) do what they do (onGridKey).
 */
function figureTools(st: ExploringState, kind: AttentionKind, layer: number, head: number) {
  const ref = { kind, layer, head };
  const toggle = h('button', {
    type: 'button',
    class: 'head-toggle',
    tabindex: -1,
    title: 'Switch this head on or off (H on the focused heatmap)',
  });
  toggle.addEventListener('click', () => toggleHead(st, ref));
  const steps = h(
    'button',
    {
      type: 'button',
      class: 'head-steps',
      tabindex: -1,
      title: 'This head step by step (S on the focused heatmap)',
      'aria-label': `${headName(ref)} step by step`,
    },
    'Steps',
  );
  steps.addEventListener('click', () => stepHead(st, ref));
  // What dominates the head on the maps shown (headLabels.ts fills it in).
  const label = h(
    'span',
    { class: 'head-stat-label', hidden: true },
    h('span', { class: 'head-stat-text' }),
  );
  return h(
    'div',
    { class: 'figure-tools', 'data-kind': kind, 'data-layer': layer, 'data-head': head },
    toggle,
    steps,
    label,
  );
}

/** The head a heatmap figure or its tools stand for (from their data attributes). */
export function refOf(el: HTMLElement): HeadRef {
  return {
    kind: el.dataset.kind as AttentionKind,
    layer: Number(el.dataset.layer),
    head: Number(el.dataset.head),
  };
}

/** H and S on a focused heatmap (keydown delegated from the sections). */
function onGridKey(st: ExploringState, e: KeyboardEvent): void {
  const figure = e.target instanceof HTMLElement ? e.target.closest('figure.heatmap') : null;
  const key = e.key.toLowerCase();
  if (!(figure instanceof HTMLElement) || e.ctrlKey || e.metaKey || e.altKey) return;
  if ((key !== 'h' && key !== 's') || !canSwitch(st)) return;
  const ref = refOf(figure);
  e.preventDefault();
  if (key === 'h') toggleHead(st, ref);
  else stepHead(st, ref);
}

/** The heatmaps' switches follow the heads off (they are drawn once per layout). */
function syncFigureTools(st: ExploringState, root: HTMLElement): void {
  const switchable = canSwitch(st);
  for (const tools of root.querySelectorAll<HTMLElement>('.figure-tools')) {
    const ref = refOf(tools);
    const on = !ex.isOff(ref);
    const toggle = tools.querySelector<HTMLButtonElement>('.head-toggle')!;
    toggle.textContent = on ? 'On' : 'Off';
    toggle.setAttribute('aria-pressed', String(on));
    toggle.setAttribute('aria-label', `${headName(ref)}: ${on ? 'on' : 'off'}`);
    for (const b of tools.querySelectorAll('button')) b.disabled = !switchable;
    const figure = tools.closest('figure');
    figure?.classList.toggle('head-off', !on);
    if (switchable) figure?.setAttribute('aria-keyshortcuts', 'H S');
    else figure?.removeAttribute('aria-keyshortcuts');
  }
}

/** The kind and layer chosen stay within what `sections` holds. */
function clampChoice(sections: AttentionSection[]): void {
  const kindOk = sections.some((s) => s.kind === explore.kind);
  if (!kindOk) explore.kind = 'encoderSelf';
  const layers = sections.find((s) => s.kind === explore.kind)?.layers ?? 1;
  if (explore.layer >= layers) explore.layer = 0;
}

export function createExploring(rerender: () => void) {
  const st: ExploringState = { rerender, shown: { d: null, sections: [] } };
  const viewSwitch = viewSwitchFor(st);
  const headView = headViewFor(st);
  const masked = createMaskedView(after(st, ex.resetHeads));
  const walkthrough = createWalkthroughView({
    onQuery: (request) => after(st, () => ex.walk(request))(),
    onClose: after(st, ex.closeWalk),
  });
  return {
    viewSwitch: viewSwitch.element,
    headView: headView.element,
    masked: masked.element,
    walkthrough: walkthrough.element,
    figureTools: (kind: AttentionKind, layer: number, head: number) =>
      figureTools(st, kind, layer, head),
    onGridKey: (e: KeyboardEvent) => onGridKey(st, e),
    /** After the panel drew `d` (null: nothing shown). */
    render(d: DisplayedView | null, sections: AttentionSection[], grid: HTMLElement): void {
      st.shown = { d, sections };
      clampChoice(sections);
      viewSwitch.render(explore.view, d ? [] : ['heatmaps', 'heads']);
      headView.element.hidden = !d || explore.view !== 'heads';
      grid.hidden = !d || explore.view !== 'heatmaps';
      if (d && explore.view === 'heads') {
        headView.render({
          sections,
          kind: explore.kind,
          layer: explore.layer,
          pinned: explore.pinned,
          isOff: ex.isOff,
          canSwitch: canSwitch(st),
        });
      }
      syncFigureTools(st, grid);
      const item = d?.view === 'current' ? (d.item ?? null) : null;
      masked.render(item, explore);
      walkthrough.render(explore, (kind) => queryTokens(st, kind));
    },
    onMessage(m: MaskedTranslationMessage | HeadWalkthroughMessage): boolean {
      return m.type === 'maskedTranslation' ? ex.applyMasked(m) : ex.applyWalk(m);
    },
  };
}
