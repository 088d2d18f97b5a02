/**
 * The open panels, at most one of each kind per window: the only way the rest of the extension
 * opens a panel or posts to one. A panel VS Code restores after a reload comes back through the
 * serializers registered here.
 */
import * as vscode from 'vscode';
import type { HostToWebview, PanelKind, WebviewToHost } from '../shared/protocol';
import { errorText } from '../util/errorText';
import { Panel, webviewOptions } from './panel';
import type { PanelHost } from './panelHost';
import { PANEL_TITLES, VIEW_TYPES } from './viewTypes';

/** Where a new panel opens: the training panel and the run table want width; the translation
 * and attention panels go beside the editor that asked for them. */
const COLUMNS: Readonly<Record<PanelKind, 'active' | 'beside'>> = {
  training: 'active',
  translation: 'beside',
  attention: 'beside',
  compare: 'active',
  heads: 'beside',
};

const KINDS = Object.keys(VIEW_TYPES) as PanelKind[];

export class PanelRegistry {
  private readonly open = new Map<PanelKind, Panel>();

  constructor(private readonly host: PanelHost) {}

  /** Reveals the open panel of `kind`, or opens one. */
  show(kind: PanelKind): void {
    const current = this.live(kind);
    if (current) {
      current.reveal();
      return;
    }
    const column = COLUMNS[kind] === 'active' ? vscode.ViewColumn.Active : vscode.ViewColumn.Beside;
    this.adopt(kind, createWebviewPanel(kind, this.host, column));
  }

  /** Sends a message to the open panel of `kind`; false when none is open or it was not delivered. */
  post(kind: PanelKind, message: HostToWebview): Thenable<boolean> {
    return this.live(kind)?.post(message) ?? Promise.resolve(false);
  }

  /** Posts the current state (PanelHost.panelState) to the panel of `kind`, if one is open. */
  async refresh(kind: PanelKind): Promise<void> {
    await this.live(kind)?.postState();
  }

  /**
   * Handles `message` as if the webview of `kind` had sent it (the extension's test API comes
   * in here): the reply goes to that panel, if open, and is returned.
   */
  request(kind: PanelKind, message: WebviewToHost): Promise<HostToWebview | undefined> {
    return this.live(kind)?.answer(message) ?? this.host.onMessage(kind, message);
  }

  /** One WebviewPanelSerializer per kind: takes over the panels VS Code restored after a reload. */
  registerSerializers(): vscode.Disposable[] {
    return KINDS.map((kind) =>
      vscode.window.registerWebviewPanelSerializer(VIEW_TYPES[kind], {
        deserializeWebviewPanel: async (webviewPanel: vscode.WebviewPanel) => {
          this.open.get(kind)?.dispose();
          this.adopt(kind, webviewPanel);
        },
      }),
    );
  }

  private live(kind: PanelKind): Panel | undefined {
    const panel = this.open.get(kind);
    return panel && !panel.isDisposed ? panel : undefined;
  }

  private adopt(kind: PanelKind, webviewPanel: vscode.WebviewPanel): void {
    const panel: Panel = new Panel(kind, webviewPanel, this.host, () => {
      if (this.open.get(kind) === panel) this.open.delete(kind);
    });
    this.open.set(kind, panel);
  }
}

/** A new panel of `kind` in `column`. The webview is torn down when hidden; state comes back
 * through the webview's getState/setState and the `ready` handshake. */
function createWebviewPanel(
  kind: PanelKind,
  host: PanelHost,
  column: vscode.ViewColumn,
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
    { viewColumn: column, preserveFocus: false },
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
