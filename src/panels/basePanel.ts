/**
 * What the three panels share (the webview-sample pattern of vscode-extension-samples): the
 * webview's options and HTML, message validation and routing, the `ready` handshake, and saving
 * exports. Each subclass adds its static `currentPanel`, `createOrShow` and `revive`.
 */
import * as os from 'node:os';
import * as vscode from 'vscode';
import type { ExportMessage, HostToWebview, PanelKind } from '../shared/protocol';
import { EXPORT_FILTERS, exportBytes, exportFileName } from './exportFile';
import type { PanelHost } from './panelHost';
import { routeWebviewMessage } from './routing';
import { PANEL_ASSETS, PANEL_TITLES, VIEW_TYPES } from './viewTypes';
import { createNonce, webviewHtml } from './webviewHtml';

/** Scripts on, and nothing but media/ loadable. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

/** A new panel of `kind` in `column`. The webview is torn down when hidden; state comes back
 * through the webview's getState/setState and the `ready` handshake. */
export function createWebviewPanel(
  kind: PanelKind,
  host: PanelHost,
  column: vscode.ViewColumn,
  preserveFocus = false,
): vscode.WebviewPanel {
  // Called only when no live panel of this kind exists; a tab of its view type is then one that
  // VS Code restored after a reload but has not revived (it revives hidden tabs only when they
  // are shown). Closed, so the window does not end up with two panels of one kind.
  const stale = webviewTabs(VIEW_TYPES[kind]);
  if (stale.length) {
    host.log.info(`[${kind} panel] closing ${stale.length} restored tab(s) not yet revived`);
    void vscode.window.tabGroups.close(stale).then(undefined, (err: unknown) => {
      host.log.warn(`[${kind} panel] could not close a restored tab: ${errorText(err)}`);
    });
  }
  return vscode.window.createWebviewPanel(
    VIEW_TYPES[kind],
    PANEL_TITLES[kind],
    { viewColumn: column, preserveFocus },
    { ...webviewOptions(host.extensionUri), retainContextWhenHidden: false },
  );
}

/** The tabs in this window that hold a webview of `viewType` (VS Code prefixes it internally). */
function webviewTabs(viewType: string): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((group) =>
    group.tabs.filter(
      (tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith(viewType),
    ),
  );
}

export abstract class BasePanel {
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  protected constructor(
    readonly kind: PanelKind,
    readonly panel: vscode.WebviewPanel,
    protected readonly host: PanelHost,
  ) {
    // Set again here: a panel revived by a WebviewPanelSerializer comes with default options.
    panel.webview.options = webviewOptions(host.extensionUri);
    panel.title = PANEL_TITLES[kind];
    const media = vscode.Uri.joinPath(host.extensionUri, 'media');
    panel.iconPath = {
      light: vscode.Uri.joinPath(media, 'icon-light.svg'),
      dark: vscode.Uri.joinPath(media, 'icon-dark.svg'),
    };
    panel.onDidDispose(() => this.dispose(), null, this.disposables);
    panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw), null, this.disposables);
    panel.webview.html = this.html();
  }

  /** Whether dispose() has run (the panel was closed). */
  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Sends a message to the webview; false when it could not be delivered (closed or hidden). */
  post(message: HostToWebview): Thenable<boolean> {
    if (this.disposed) return Promise.resolve(false);
    try {
      return this.panel.webview.postMessage(message);
    } catch (err) {
      this.host.log.warn(`[${this.kind} panel] could not post ${message.type}: ${String(err)}`);
      return Promise.resolve(false);
    }
  }

  /** Brings the panel to the front in its current column. */
  reveal(preserveFocus = false): void {
    if (!this.disposed) this.panel.reveal(undefined, preserveFocus);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.onDisposed();
    this.panel.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }

  /** Clears the subclass's static currentPanel. */
  protected abstract onDisposed(): void;

  private html(): string {
    const webview = this.panel.webview;
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
    try {
      const routed = routeWebviewMessage(this.kind, raw);
      switch (routed.action) {
        case 'drop':
          log.warn(`[${this.kind} panel] dropped a message: ${routed.error}`);
          return;
        case 'export':
          void this.saveExport(routed.message);
          return;
        case 'forward': {
          const message = routed.message;
          if (routed.answerReady) {
            for (const m of this.host.initialMessages(this.kind)) void this.post(m);
          }
          if (message.type === 'webviewError') {
            log.error(`[${this.kind} webview] ${message.message}`);
          }
          this.host.onMessage(this.kind, message);
          return;
        }
      }
    } catch (err) {
      log.error(`[${this.kind} panel] failed to handle a message: ${errorText(err)}`);
    }
  }

  private async saveExport(m: ExportMessage): Promise<void> {
    const log = this.host.log;
    try {
      const bytes = exportBytes(m.format, m.content);
      const name = exportFileName(m.format, m.suggestedName);
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
      const uri = await vscode.window.showSaveDialog({
        defaultUri: vscode.Uri.joinPath(folder, name),
        filters: EXPORT_FILTERS[m.format],
        saveLabel: 'Export',
        title: `Export ${m.format.toUpperCase()}`,
      });
      if (!uri) {
        await this.post({ type: 'exportResult', ok: false, message: 'Export cancelled.' });
        return;
      }
      await vscode.workspace.fs.writeFile(uri, bytes);
      const where = uri.scheme === 'file' ? uri.fsPath : uri.toString();
      log.info(`[${this.kind} panel] exported ${m.format} (${bytes.length} bytes) to ${where}`);
      await this.post({ type: 'exportResult', ok: true, message: `Saved ${where}` });
    } catch (err) {
      log.error(`[${this.kind} panel] export failed: ${errorText(err)}`);
      await this.post({
        type: 'exportResult',
        ok: false,
        message: `Could not save the ${m.format.toUpperCase()}: ${errorText(err)}`,
      });
    }
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
