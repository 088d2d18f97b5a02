/**
 * Export buttons with their status line: a click prepares the file (after any render in the
 * queue) and posts an `export` message; the host's `exportResult` is shown beside the buttons
 * that asked for it.
 */
import type { ExportMessage, ExportResultMessage } from '../../src/shared/protocol';
import { h } from '../shared/dom';
import { enqueue, post } from '../shared/vscodeApi';

export interface ExportItem {
  id: string;
  text: string;
  title: string;
  make(): ExportMessage | Promise<ExportMessage>;
}

type StatusKind = 'busy' | 'ok' | 'error' | 'muted';

/** The status line of the export last asked for: where the host's answer goes. */
let waiting: HTMLElement | null = null;

function show(el: HTMLElement, text: string, kind: StatusKind): void {
  el.className = `export-status ${kind}`;
  el.textContent = text;
}

export function exportToolbar(label: string, statusId: string, items: ExportItem[]): HTMLElement {
  const status = h('span', { class: 'export-status', role: 'status', id: statusId });
  const buttons = items.map((item) => {
    const b = h(
      'button',
      { type: 'button', class: 'secondary', id: item.id, title: item.title },
      item.text,
    );
    b.addEventListener('click', () => {
      void enqueue(async () => {
        show(status, `Preparing ${item.text}…`, 'busy');
        try {
          const message = await item.make();
          waiting = status;
          post(message);
        } catch (err) {
          show(
            status,
            `${item.text} export failed: ${err instanceof Error ? err.message : err}`,
            'error',
          );
          throw err;
        }
      }, `${item.text} export`);
    });
    return b;
  });
  return h(
    'div',
    { class: 'toolbar export-toolbar' },
    h('span', { class: 'inline-label' }, label),
    buttons,
    status,
  );
}

export function showExportResult(m: ExportResultMessage): void {
  if (!waiting) return;
  show(waiting, m.message, m.ok ? 'ok' : /cancel/i.test(m.message) ? 'muted' : 'error');
}
