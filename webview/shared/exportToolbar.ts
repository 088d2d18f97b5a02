/**
 * Export buttons with their status line, the same in every panel: a click prepares the file
 * (after any render in the queue) and posts an `export` message; the host's `exportResult` is
 * shown beside the buttons that asked for it. Also the PNG rasteriser of the composed SVGs.
 */
import type { ExportMessage, ExportResultMessage } from '../../src/shared/protocol';
import { h } from './dom';
import { toolbarLabel } from './layout';
import { enqueue, post } from './vscodeApi';

export interface ExportItem {
  /** The button's id. */
  id: string;
  text: string;
  title: string;
  make(): ExportMessage | Promise<ExportMessage>;
}

export interface ExportToolbar {
  element: HTMLElement;
  /** Disables the buttons while there is nothing to export. */
  setEnabled(enabled: boolean): void;
}

type StatusKind = 'busy' | 'ok' | 'error' | 'muted';

/** The status line of the export last asked for: where the host's answer goes. */
let waiting: HTMLElement | null = null;

function show(el: HTMLElement, text: string, kind: StatusKind): void {
  el.className = `export-status ${kind}`;
  el.textContent = text;
}

export function exportToolbar(label: string, statusId: string, items: ExportItem[]): ExportToolbar {
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
  return {
    element: h('div', { class: 'toolbar export-toolbar' }, toolbarLabel(label), buttons, status),
    setEnabled(enabled) {
      for (const b of buttons) b.disabled = !enabled;
    },
  };
}

export function showExportResult(m: ExportResultMessage): void {
  if (!waiting) return;
  show(waiting, m.message, m.ok ? 'ok' : /cancel/i.test(m.message) ? 'muted' : 'error');
}

/** An SVG document as a PNG data: URL, `scale` times its size (the browser rasterises it). */
export async function svgToPng(svg: string, scale: number): Promise<string> {
  const img = new Image();
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = Math.ceil(img.naturalWidth * scale);
  canvas.height = Math.ceil(img.naturalHeight * scale);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas context');
  ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
  return canvas.toDataURL('image/png');
}
