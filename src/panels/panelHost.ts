/** What the panels need from the extension: where its files are, a log, and the message hub. */
import type * as vscode from 'vscode';
import type { HostToWebview, PanelKind, WebviewToHost } from '../shared/protocol';

export interface PanelHost {
  /** The extension's root (context.extensionUri): media/ is under it. */
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
  /**
   * Every valid message from a panel's webview, except `export` (the panel saves the file
   * itself). Resolves to the reply when the message asks for something: the panel posts it back
   * to the webview that asked. `ready` arrives after the panel has asked for panelState(panel).
   */
  onMessage(panel: PanelKind, message: WebviewToHost): Promise<HostToWebview | undefined>;
  /** What a panel's webview needs to draw the current state: posted after its `ready`, and
   * again whenever PanelRegistry.refresh is asked to. */
  panelState(panel: PanelKind): Promise<HostToWebview[]>;
  /** The panel of `panel`'s kind closed (its tab, or the window): what it showed can go. */
  closed(panel: PanelKind): void;
}
