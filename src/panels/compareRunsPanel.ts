/** The Compare Runs panel: the run history as a table, loss curves, translations and attention. */
import * as vscode from 'vscode';
import { BasePanel, createWebviewPanel } from './basePanel';
import type { PanelHost } from './panelHost';
import { COMPARE_VIEW_TYPE } from './viewTypes';

export class CompareRunsPanel extends BasePanel {
  static readonly viewType = COMPARE_VIEW_TYPE;
  /** The open panel, if any (one per window). */
  static currentPanel: CompareRunsPanel | undefined;

  /** Reveals the open panel, or opens one in the active column (the table wants width). */
  static createOrShow(host: PanelHost): CompareRunsPanel {
    const current = CompareRunsPanel.currentPanel;
    if (current && !current.isDisposed) {
      current.reveal();
      return current;
    }
    const panel = createWebviewPanel('compare', host, vscode.ViewColumn.Active);
    CompareRunsPanel.currentPanel = new CompareRunsPanel(panel, host);
    return CompareRunsPanel.currentPanel;
  }

  /** For a WebviewPanelSerializer: takes over a panel VS Code restored after a reload. */
  static revive(panel: vscode.WebviewPanel, host: PanelHost): CompareRunsPanel {
    CompareRunsPanel.currentPanel?.dispose();
    CompareRunsPanel.currentPanel = new CompareRunsPanel(panel, host);
    return CompareRunsPanel.currentPanel;
  }

  private constructor(panel: vscode.WebviewPanel, host: PanelHost) {
    super('compare', panel, host);
  }

  protected onDisposed(): void {
    if (CompareRunsPanel.currentPanel === this) CompareRunsPanel.currentPanel = undefined;
  }
}
