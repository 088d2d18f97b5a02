/** The training panel: the training run: status, live loss curve, seed translations and BLEU. */
import * as vscode from 'vscode';
import { BasePanel, createWebviewPanel } from './basePanel';
import type { PanelHost } from './panelHost';
import { TRAINING_VIEW_TYPE } from './viewTypes';

export class TrainingPanel extends BasePanel {
  static readonly viewType = TRAINING_VIEW_TYPE;
  /** The open panel, if any (one per window). */
  static currentPanel: TrainingPanel | undefined;

  /** Reveals the open panel, or opens one (ViewColumn.Active). */
  static createOrShow(host: PanelHost, options: { preserveFocus?: boolean } = {}): TrainingPanel {
    const current = TrainingPanel.currentPanel;
    if (current && !current.isDisposed) {
      current.reveal(options.preserveFocus);
      return current;
    }
    const panel = createWebviewPanel(
      'training',
      host,
      vscode.ViewColumn.Active,
      options.preserveFocus,
    );
    TrainingPanel.currentPanel = new TrainingPanel(panel, host);
    return TrainingPanel.currentPanel;
  }

  /** For a WebviewPanelSerializer: takes over a panel VS Code restored after a reload. */
  static revive(panel: vscode.WebviewPanel, host: PanelHost): TrainingPanel {
    TrainingPanel.currentPanel?.dispose();
    TrainingPanel.currentPanel = new TrainingPanel(panel, host);
    return TrainingPanel.currentPanel;
  }

  private constructor(panel: vscode.WebviewPanel, host: PanelHost) {
    super('training', panel, host);
  }

  protected onDisposed(): void {
    if (TrainingPanel.currentPanel === this) TrainingPanel.currentPanel = undefined;
  }
}
