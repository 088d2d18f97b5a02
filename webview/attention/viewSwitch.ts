/**
 * Which attention the panel shows: "Current translation" or "During training", and in the
 * training view the epoch slider over the snapshots (arrow keys, Home and End step through them).
 */
import type { ViewMode } from '../specs/attentionView';
import { h } from '../shared/dom';
import { toolbar } from '../shared/layout';
import { segmented } from '../shared/segmented';

export interface ViewSwitchProps {
  /** What is on screen (null: nothing). */
  showing: ViewMode | null;
  hasCurrent: boolean;
  /** The snapshots' epochs, oldest first. */
  epochs: readonly number[];
  snapshotIndex: number;
}

export interface ViewSwitch {
  element: HTMLElement;
  render(p: ViewSwitchProps): void;
}

/** The epoch slider over the snapshots, with the epoch shown and "snapshot i of n". */
function epochSlider(onSnapshot: (index: number) => void) {
  const slider = h('input', {
    type: 'range',
    id: 'epoch-slider',
    min: 0,
    max: 0,
    step: 1,
    value: 0,
    'aria-describedby': 'snapshot-position',
  });
  const epochOutput = h('output', { id: 'epoch-output', for: 'epoch-slider' }, '–');
  const position = h('span', { class: 'muted', id: 'snapshot-position' });
  let epochs: readonly number[] = [];
  const label = (index: number): void => {
    const i = Math.min(index, epochs.length - 1);
    const epoch = epochs[i];
    epochOutput.textContent = epoch === undefined ? '–' : String(epoch);
    slider.setAttribute('aria-valuetext', epoch === undefined ? 'no snapshot' : `epoch ${epoch}`);
    position.textContent = epochs.length ? `snapshot ${i + 1} of ${epochs.length}` : '';
  };
  slider.addEventListener('input', () => {
    const index = Number(slider.value);
    label(index);
    onSnapshot(index);
  });
  return {
    element: h(
      'div',
      { class: 'snapshot-controls', id: 'snapshot-controls', hidden: true },
      h('label', { for: 'epoch-slider' }, 'Epoch ', epochOutput),
      slider,
      position,
    ),
    render(next: readonly number[], index: number): void {
      epochs = next;
      const last = Math.max(0, epochs.length - 1);
      slider.max = String(last);
      slider.value = String(Math.min(index, last));
      label(index);
    },
  };
}

export function createViewSwitch(handlers: {
  onMode(mode: ViewMode): void;
  /** The slider moved (its label follows at once; the heatmaps when the panel renders). */
  onSnapshot(index: number): void;
}): ViewSwitch {
  const modes = segmented<ViewMode>({
    label: 'Attention to show',
    options: [
      { value: 'current', text: 'Current translation', id: 'mode-current' },
      { value: 'training', text: 'During training', id: 'mode-training' },
    ],
    onSelect: handlers.onMode,
  });
  const slider = epochSlider(handlers.onSnapshot);
  return {
    element: toolbar(modes.element, slider.element),
    render(p) {
      const disabled: ViewMode[] = [];
      if (!p.hasCurrent) disabled.push('current');
      if (p.epochs.length === 0) disabled.push('training');
      modes.render(p.showing, disabled);
      slider.element.hidden = p.showing !== 'training';
      slider.render(p.epochs, p.snapshotIndex);
    },
  };
}
