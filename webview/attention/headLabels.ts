/**
 * Each heatmap's label (issue 13 item 4): "previous token", "broad", "to <eos>"… where one
 * statistic dominates the head on the maps shown, as text beside the head's switch (not colour)
 * and at the end of the heatmap's accessible name, so a screen reader says it with the heatmap.
 */
import type { AttentionKind } from '../../src/decode/attentionMaps';
import type { HeadLabel } from '../../src/explore/headStats';
import { labelledName } from '../specs/headStatRows';
import { refOf } from './exploring';

export type HeadLabels = Record<AttentionKind, (HeadLabel | null)[][]>;

/** Writes `labels` (null: none) into the heatmaps under `root` (their tools hold the slot). */
export function showHeadLabels(root: HTMLElement, labels: HeadLabels | null): void {
  for (const tools of root.querySelectorAll<HTMLElement>('.figure-tools')) {
    const ref = refOf(tools);
    const label = labels?.[ref.kind]?.[ref.layer]?.[ref.head] ?? null;
    const slot = tools.querySelector<HTMLElement>('.head-stat-label');
    if (slot) {
      slot.firstElementChild!.textContent = label ?? '';
      slot.title = label ?? ''; // the whole label, where a narrow heatmap cuts it short
      slot.hidden = label === null;
    }
    const figure = tools.closest<HTMLElement>('figure.heatmap');
    if (!figure) continue;
    // The grid's own name, kept the first time (the label changes with the maps shown).
    figure.dataset.name ??= figure.getAttribute('aria-label') ?? '';
    figure.setAttribute('aria-label', labelledName(figure.dataset.name, label));
    figure.dataset.label = label ?? '';
  }
}
