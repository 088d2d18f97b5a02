/** What a panel does with a raw message from its webview (vscode-free, unit tested). */
import type { ExportMessage, PanelKind, WebviewToHost } from '../shared/protocol';
import { parseWebviewMessage } from '../shared/validate';

export type Routed =
  /** Invalid: log `error` and drop it. */
  | { action: 'drop'; error: string }
  /** The panel saves the file itself. */
  | { action: 'export'; message: ExportMessage }
  /** Hand to PanelHost.onMessage; for `ready`, post host.panelState(kind) first. */
  | { action: 'forward'; message: WebviewToHost; answerReady: boolean };

export function routeWebviewMessage(kind: PanelKind, raw: unknown): Routed {
  const parsed = parseWebviewMessage(raw);
  if (!parsed.ok) return { action: 'drop', error: parsed.error };
  const message = parsed.message;
  if (message.type === 'export') return { action: 'export', message };
  if ((message.type === 'ready' || message.type === 'rendered') && message.panel !== kind) {
    return { action: 'drop', error: `${message.type} from panel "${message.panel}" in ${kind}` };
  }
  return { action: 'forward', message, answerReady: message.type === 'ready' };
}
