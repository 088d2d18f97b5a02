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

/**
 * Where a new panel opens. The training panel and the run table want width: the active column.
 * Translations and Attention go beside the editor that asked for them, and share that one
 * column (as tabs): opening Attention beside the Translations panel made a third column, and at
 * 1600 × 1000 the attention grid got 414 px and hid 10 of its 24 heads (issue 12). Two columns
 * give each panel half the window; the attention panel reveals the selected translation itself.
 */
const COLUMNS: Readonly<Record<PanelKind, 'active' | 'beside'>> = {
  training: 'active',
  translation: 'beside',
  attention: 'beside',
  compare: 'active',
  heads: 'beside',
};
const BESIDE_KINDS = (Object.keys(COLUMNS) as PanelKind[]).filter((k) => COLUMNS[k] === 'beside');

/** How long show() waits for VS Code to revive a restored tab through the serializer. */
const REVIVE_TIMEOUT_MS = 5_000;

const KINDS = Object.keys(VIEW_TYPES) as PanelKind[];

export class PanelRegistry {
  private readonly open = new Map<PanelKind, Panel>();
  /** show() calls waiting for the serializer to revive a restored panel of their kind. */
  private readonly revived = new Map<PanelKind, () => void>();

  constructor(private readonly host: PanelHost) {}

  /**
   * Reveals the open panel of `kind`, or the tab of that kind VS Code restored after a reload
   * (revived through the serializer, with its state), or opens a new one.
   */
  async show(kind: PanelKind): Promise<void> {
    const current = this.live(kind);
    if (current) {
      current.reveal();
      return;
    }
    const [restored] = webviewTabs(VIEW_TYPES[kind]);
    if (restored && (await this.revive(kind, restored))) return;
    if (restored) {
      this.host.log.warn(`[${kind} panel] a restored tab did not revive: closing it`);
      await vscode.window.tabGroups.close(restored).then(undefined, (err: unknown) => {
        this.host.log.warn(`[${kind} panel] could not close a restored tab: ${errorText(err)}`);
      });
    }
    this.adopt(kind, createWebviewPanel(kind, this.host, this.columnFor(kind)));
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
          this.revived.get(kind)?.();
        },
      }),
    );
  }

  /** The column of the other beside-panel (open, or restored and not yet revived), else Beside;
   * the active column for the panels that want width. The column is read from the tab groups,
   * not from `WebviewPanel.viewColumn`: that one keeps its old number when a column to its left
   * closes (no view-state event), and Attention then opened in a third column of its own (seen
   * in the full extension-host run: Translations in column 2, its panel still saying 3). */
  private columnFor(kind: PanelKind): vscode.ViewColumn {
    if (COLUMNS[kind] === 'active') return vscode.ViewColumn.Active;
    for (const sibling of BESIDE_KINDS.filter((k) => k !== kind)) {
      // A live sibling: show it and open in its (now active) group. Its column cannot be read
      // reliably: right after it opened beside, neither its viewColumn nor the tab groups know
      // it yet (Attention opened 2 ms after Translations went to a third column).
      const live = this.live(sibling);
      if (live) {
        live.reveal(false);
        return vscode.ViewColumn.Active;
      }
      const column = webviewTabs(VIEW_TYPES[sibling])[0]?.group.viewColumn;
      if (column) return column;
    }
    return vscode.ViewColumn.Beside;
  }

  /**
   * VS Code revives a restored webview tab only when it is shown: shows it (focus its group, open
   * the editor at its index) and waits for the serializer. False if that did not happen in time.
   */
  private async revive(kind: PanelKind, tab: vscode.Tab): Promise<boolean> {
    const column = tab.group.viewColumn;
    const index = tab.group.tabs.indexOf(tab);
    if (column > GROUP_FOCUS.length || index < 0) return false;
    const revived = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), REVIVE_TIMEOUT_MS);
      this.revived.set(kind, () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    try {
      await vscode.commands.executeCommand(
        `workbench.action.focus${GROUP_FOCUS[column - 1]}EditorGroup`,
      );
      await vscode.commands.executeCommand('workbench.action.openEditorAtIndex', index);
      return await revived;
    } finally {
      this.revived.delete(kind);
    }
  }

  private live(kind: PanelKind): Panel | undefined {
    const panel = this.open.get(kind);
    return panel && !panel.isDisposed ? panel : undefined;
  }

  private adopt(kind: PanelKind, webviewPanel: vscode.WebviewPanel): void {
    const panel: Panel = new Panel(kind, webviewPanel, this.host, () => {
      if (this.open.get(kind) !== panel) return;
      this.open.delete(kind);
      this.host.closed(kind);
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
  return vscode.window.createWebviewPanel(
    VIEW_TYPES[kind],
    PANEL_TITLES[kind],
    { viewColumn: column, preserveFocus: false },
    { ...webviewOptions(host.extensionUri), retainContextWhenHidden: false },
  );
}

/** The focus commands of editor groups 1 to 8 (workbench.action.focus<Nth>EditorGroup). */
const GROUP_FOCUS = ['First', 'Second', 'Third', 'Fourth', 'Fifth', 'Sixth', 'Seventh', 'Eighth'];

/** The tabs in this window that hold a webview of `viewType` (VS Code prefixes it internally). */
function webviewTabs(viewType: string): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((group) =>
    // By the input's viewType, not `instanceof vscode.TabInputWebview`: that check missed the
    // Translations tab in code-server, and Attention opened in a third column (test/integration/
    // translate.test.ts, "one column for both panels").
    group.tabs.filter((tab) => {
      const type = (tab.input as { viewType?: unknown } | undefined)?.viewType;
      return typeof type === 'string' && type.endsWith(viewType);
    }),
  );
}
