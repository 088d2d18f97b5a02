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

export function createExploring(rerender: () => void) {
  let shown: { d: DisplayedView | null; sections: AttentionSection[] } = { d: null, sections: [] };
  const canSwitch = () => shown.d?.view === 'current' && explore.translationId !== null;
  const after = (change: () => void) => () => {
    change();
    rerender();
  };
  const viewSwitch = segmented<AttentionView>({
    label: 'How to show the heads',
    options: [
      { value: 'heatmaps', text: 'Heatmaps', id: 'view-heatmaps' },
      { value: 'heads', text: 'Head view', id: 'view-heads' },
    ],
    onSelect: (view) => after(() => (explore.view = view))(),
  });
  const numHeads = (kind: AttentionKind) => shown.sections.find((s) => s.kind === kind)?.heads ?? 0;
  const headView = createHeadView({
    onSelect: (kind, layer) => after(() => Object.assign(explore, { kind, layer, pinned: null }))(),
    onPin: (pinned) => after(() => (explore.pinned = pinned))(),
    onHead: (ref, on) => after(() => ex.setHead(ref, on))(),
    onSolo: (ref) => after(() => ex.soloHead(ref, numHeads(ref.kind)))(),
  });
  const masked = createMaskedView(after(ex.resetHeads));
  const walkthrough = createWalkthroughView({
    onQuery: (request) => after(() => ex.walk(request))(),
    onClose: after(ex.closeWalk),
  });
  const stepButton = h(
    'button',
    { type: 'button', id: 'hv-steps', class: 'secondary' },
    'Step through a head',
  );
  headView.element.querySelector('.toolbar')?.append(stepButton);
  stepButton.addEventListener('click', () => {
    const query = explore.pinned?.side === 'query' ? explore.pinned.index : 0;
    const firstOn = Array.from({ length: numHeads(explore.kind) }, (_, head) => head).find(
      (head) => !ex.isOff({ kind: explore.kind, layer: explore.layer, head }),
    );
    ex.walk({ kind: explore.kind, layer: explore.layer, head: firstOn ?? 0, query });
    rerender();
  });

  const toggleHead = (ref: HeadRef) => after(() => ex.setHead(ref, ex.isOff(ref)))();
  const stepHead = (ref: HeadRef) => after(() => ex.walk({ ...ref, query: 0 }))();

  /**
   * A switch and a "Steps" button above the heatmap of one head. They are not tab stops: Tab
   * moves from heatmap to heatmap (webview/shared/cellFocus.ts), and on a focused heatmap the
   * keys H (switch the head) and S (step by step) do what they do (onGridKey).
   */
  function figureTools(kind: AttentionKind, layer: number, head: number): HTMLElement {
    const ref = { kind, layer, head };
    const toggle = h('button', {
      type: 'button',
      class: 'head-toggle',
      tabindex: -1,
      title: 'Switch this head on or off (H on the focused heatmap)',
    });
    toggle.addEventListener('click', () => toggleHead(ref));
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
    steps.addEventListener('click', () => stepHead(ref));
    return h(
      'div',
      { class: 'figure-tools', 'data-kind': kind, 'data-layer': layer, 'data-head': head },
      toggle,
      steps,
    );
  }

  /** H and S on a focused heatmap (keydown delegated from the sections). */
  function onGridKey(e: KeyboardEvent): void {
    const figure = e.target instanceof HTMLElement ? e.target.closest('figure.heatmap') : null;
    const key = e.key.toLowerCase();
    if (!(figure instanceof HTMLElement) || e.ctrlKey || e.metaKey || e.altKey) return;
    if ((key !== 'h' && key !== 's') || !canSwitch()) return;
    const ref = {
      kind: figure.dataset.kind as AttentionKind,
      layer: Number(figure.dataset.layer),
      head: Number(figure.dataset.head),
    };
    e.preventDefault();
    if (key === 'h') toggleHead(ref);
    else stepHead(ref);
  }

  /** The heatmaps' switches follow the heads off (they are drawn once per layout). */
  function syncFigureTools(root: HTMLElement): void {
    for (const tools of root.querySelectorAll<HTMLElement>('.figure-tools')) {
      const ref = {
        kind: tools.dataset.kind as AttentionKind,
        layer: Number(tools.dataset.layer),
        head: Number(tools.dataset.head),
      };
      const on = !ex.isOff(ref);
      const toggle = tools.querySelector<HTMLButtonElement>('.head-toggle')!;
      toggle.textContent = on ? 'On' : 'Off';
      toggle.setAttribute('aria-pressed', String(on));
      toggle.setAttribute('aria-label', `${headName(ref)}: ${on ? 'on' : 'off'}`);
      for (const b of tools.querySelectorAll('button')) b.disabled = !canSwitch();
      const figure = tools.closest('figure');
      figure?.classList.toggle('head-off', !on);
      if (canSwitch()) figure?.setAttribute('aria-keyshortcuts', 'H S');
      else figure?.removeAttribute('aria-keyshortcuts');
    }
  }

  const queryTokens = (kind: AttentionKind) =>
    shown.sections.find((s) => s.kind === kind)?.queries ?? [];

  return {
    viewSwitch: viewSwitch.element,
    headView: headView.element,
    masked: masked.element,
    walkthrough: walkthrough.element,
    figureTools,
    onGridKey,
    /** After the panel drew `d` (null: nothing shown). */
    render(d: DisplayedView | null, sections: AttentionSection[], grid: HTMLElement): void {
      shown = { d, sections };
      const kindOk = sections.some((s) => s.kind === explore.kind);
      if (!kindOk) explore.kind = 'encoderSelf';
      const layers = sections.find((s) => s.kind === explore.kind)?.layers ?? 1;
      if (explore.layer >= layers) explore.layer = 0;
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
          canSwitch: canSwitch(),
        });
      }
      syncFigureTools(grid);
      const item = d?.view === 'current' ? (d.item ?? null) : null;
      masked.render(item, explore);
      walkthrough.render(explore, queryTokens);
    },
    onMessage(m: MaskedTranslationMessage | HeadWalkthroughMessage): boolean {
      return m.type === 'maskedTranslation' ? ex.applyMasked(m) : ex.applyWalk(m);
    },
  };
}
