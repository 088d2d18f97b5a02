/**
 * One open panel (the webview-sample pattern of vscode-extension-samples): the webview's options
 * and HTML, message validation and routing, the `ready` handshake, replies to what the webview
 * asks for, and saving exports. Which panels are open is PanelRegistry's business.
 */
import * as vscode from 'vscode';
import type { HostToWebview, PanelKind, WebviewToHost } from '../shared/protocol';
import { errorText } from '../util/errorText';
import type { PanelHost } from './panelHost';
import { routeWebviewMessage } from './routing';
import { saveExport } from './saveExport';
import { PANEL_ASSETS, PANEL_TITLES } from './viewTypes';
import { createNonce, webviewHtml } from './webviewHtml';

/** Scripts on, and nothing but media/ loadable. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

export class Panel {
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  /** `onDisposed`: called once, when the panel closes (the registry forgets it). */
  constructor(
    readonly kind: PanelKind,
    readonly webviewPanel: vscode.WebviewPanel,
    private readonly host: PanelHost,
    private readonly onDisposed: () => void,
  ) {
    // Set again here: a panel revived by a WebviewPanelSerializer comes with default options.
    webviewPanel.webview.options = webviewOptions(host.extensionUri);
    webviewPanel.title = PANEL_TITLES[kind];
    const media = vscode.Uri.joinPath(host.extensionUri, 'media');
    webviewPanel.iconPath = {
      light: vscode.Uri.joinPath(media, 'icon-light.svg'),
      dark: vscode.Uri.joinPath(media, 'icon-dark.svg'),
    };
    webviewPanel.onDidDispose(() => this.dispose(), null, this.disposables);
    webviewPanel.webview.onDidReceiveMessage(
      (raw: unknown) => this.receive(raw),
      null,
      this.disposables,
    );
    webviewPanel.webview.html = this.html();
  }

  /** Whether dispose() has run (the panel was closed). */
  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Sends a message to the webview; false when it could not be delivered (closed or hidden). */
  post(message: HostToWebview): Thenable<boolean> {
    if (this.disposed) return Promise.resolve(false);
    try {
      return this.webviewPanel.webview.postMessage(message);
    } catch (err) {
      this.host.log.warn(`[${this.kind} panel] could not post ${message.type}: ${String(err)}`);
      return Promise.resolve(false);
    }
  }

  /** Posts what the webview needs to draw the current state (PanelHost.panelState). */
  async postState(): Promise<void> {
    for (const message of await this.host.panelState(this.kind)) await this.post(message);
  }

  /**
   * Hands a valid message to the host and posts the host's reply, if any, back to this webview:
   * a reply always goes to the panel that asked. Resolves to the reply.
   */
  async answer(message: WebviewToHost): Promise<HostToWebview | undefined> {
    const reply = await this.host.onMessage(this.kind, message);
    if (reply) await this.post(reply);
    return reply;
  }

  /** Brings the panel to the front in its current column. */
  reveal(preserveFocus = false): void {
    if (!this.disposed) this.webviewPanel.reveal(undefined, preserveFocus);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.onDisposed();
    this.webviewPanel.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }

  private html(): string {
    const webview = this.webviewPanel.webview;
    const media = vscode.Uri.joinPath(this.host.extensionUri, 'media');
    const uri = (file: string): string =>
      webview.asWebviewUri(vscode.Uri.joinPath(media, ...file.split('/'))).toString();
    const assets = PANEL_ASSETS[this.kind];
    return webviewHtml({
      panel: this.kind,
      title: PANEL_TITLES[this.kind],
      cspSource: webview.cspSource,
      nonce: createNonce(),
      scripts: [uri(assets.script)],
      styles: assets.styles.map(uri),
    });
  }

  /** Never throws: a bad message is logged and dropped. */
  private receive(raw: unknown): void {
    const log = this.host.log;
    const failed = (err: unknown) =>
      log.error(`[${this.kind} panel] failed to handle a message: ${errorText(err)}`);
    try {
      const routed = routeWebviewMessage(this.kind, raw);
      switch (routed.action) {
        case 'drop':
          log.warn(`[${this.kind} panel] dropped a message: ${routed.error}`);
          return;
        case 'export':
          void saveExport(routed.message, this.kind, log).then((result) => this.post(result));
          return;
        case 'forward': {
          const message = routed.message;
          if (routed.answerReady) this.postState().catch(failed);
          if (message.type === 'webviewError') {
            log.error(`[${this.kind} webview] ${message.message}`);
          }
          this.answer(message).catch(failed);
          return;
        }
      }
    } catch (err) {
      failed(err);
    }
  }
}
