/** The panel's header: the run's status (badge and text), Cancel training and Open settings. */
import type { TrainingStateMessage } from '../../src/shared/protocol';
import { h } from '../shared/dom';
import { panelHeader } from '../shared/layout';

const STATUS_LABELS: Record<TrainingStateMessage['status'], string> = {
  idle: 'Idle',
  preparing: 'Preparing',
  training: 'Training',
  finished: 'Finished',
  cancelled: 'Cancelled',
  failed: 'Failed',
};

export interface StatusHeader {
  element: HTMLElement;
  render(run: TrainingStateMessage): void;
}

export function createStatusHeader(handlers: {
  onCancel(): void;
  onSettings(): void;
}): StatusHeader {
  const badge = h('span', { class: 'badge', id: 'status-badge' });
  const text = h('span', { id: 'status-text' });
  const cancel = h(
    'button',
    { type: 'button', id: 'cancel', class: 'secondary' },
    'Cancel training',
  );
  const settings = h(
    'button',
    { type: 'button', id: 'settings', class: 'secondary' },
    'Open settings',
  );
  cancel.addEventListener('click', () => {
    cancel.disabled = true;
    handlers.onCancel();
  });
  settings.addEventListener('click', () => handlers.onSettings());
  return {
    element: panelHeader(
      'Transformer training',
      h('p', { class: 'status', id: 'status', role: 'status' }, badge, ' ', text),
      h('div', { class: 'actions' }, cancel, settings),
    ),
    render(run) {
      badge.textContent = STATUS_LABELS[run.status];
      badge.dataset.status = run.status;
      text.textContent = run.statusText;
      cancel.disabled = !(run.status === 'preparing' || run.status === 'training');
    },
  };
}
