/** The attention panel: every attention head of every layer, for a translation or a training snapshot. */
import * as vscode from 'vscode';
import { BasePanel, createWebviewPanel } from './basePanel';
import type { PanelHost } from './panelHost';
import { ATTENTION_VIEW_TYPE } from './viewTypes';

export class AttentionPanel extends BasePanel {
  static readonly viewType = ATTENTION_VIEW_TYPE;
  /** The open panel, if any (one per window). */
  static currentPanel: AttentionPanel | undefined;

  /** Reveals the open panel, or opens one (ViewColumn.Beside). */
  static createOrShow(host: PanelHost, options: { preserveFocus?: boolean } = {}): AttentionPanel {
    const current = AttentionPanel.currentPanel;
    if (current && !current.isDisposed) {
      current.reveal(options.preserveFocus);
      return current;
    }
    const panel = createWebviewPanel(
      'attention',
      host,
      vscode.ViewColumn.Beside,
      options.preserveFocus,
    );
    AttentionPanel.currentPanel = new AttentionPanel(panel, host);
    return AttentionPanel.currentPanel;
  }

  /** For a WebviewPanelSerializer: takes over a panel VS Code restored after a reload. */
  static revive(panel: vscode.WebviewPanel, host: PanelHost): AttentionPanel {
    AttentionPanel.currentPanel?.dispose();
    AttentionPanel.currentPanel = new AttentionPanel(panel, host);
    return AttentionPanel.currentPanel;
  }

  private constructor(panel: vscode.WebviewPanel, host: PanelHost) {
    super('attention', panel, host);
  }

  protected onDisposed(): void {
    if (AttentionPanel.currentPanel === this) AttentionPanel.currentPanel = undefined;
  }
}
