/** What the panels need from the extension: where its files are, a log, and the message hub. */
import type * as vscode from 'vscode';
import type { HostToWebview, PanelKind, WebviewToHost } from '../shared/protocol';

export interface PanelHost {
  /** The extension's root (context.extensionUri): media/ is under it. */
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
  /**
   * Every valid message from a panel's webview, except `export` (the panel saves the file
   * itself). `ready` arrives after the panel has posted initialMessages(panel).
   */
  onMessage(panel: PanelKind, message: WebviewToHost): void;
  /** What a freshly loaded (or restored) webview needs to draw its current state. */
  initialMessages(panel: PanelKind): HostToWebview[];
}
