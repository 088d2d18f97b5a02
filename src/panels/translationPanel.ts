/** The translation panel: translations with BLEU, unknown words flagged, and a box to translate a sentence. */
import * as vscode from 'vscode';
import { BasePanel, createWebviewPanel } from './basePanel';
import type { PanelHost } from './panelHost';
import { TRANSLATION_VIEW_TYPE } from './viewTypes';

export class TranslationPanel extends BasePanel {
  static readonly viewType = TRANSLATION_VIEW_TYPE;
  /** The open panel, if any (one per window). */
  static currentPanel: TranslationPanel | undefined;

  /** Reveals the open panel, or opens one (ViewColumn.Beside). */
  static createOrShow(
    host: PanelHost,
    options: { preserveFocus?: boolean } = {},
  ): TranslationPanel {
    const current = TranslationPanel.currentPanel;
    if (current && !current.isDisposed) {
      current.reveal(options.preserveFocus);
      return current;
    }
    const panel = createWebviewPanel(
      'translation',
      host,
      vscode.ViewColumn.Beside,
      options.preserveFocus,
    );
    TranslationPanel.currentPanel = new TranslationPanel(panel, host);
    return TranslationPanel.currentPanel;
  }

  /** For a WebviewPanelSerializer: takes over a panel VS Code restored after a reload. */
  static revive(panel: vscode.WebviewPanel, host: PanelHost): TranslationPanel {
    TranslationPanel.currentPanel?.dispose();
    TranslationPanel.currentPanel = new TranslationPanel(panel, host);
    return TranslationPanel.currentPanel;
  }

  private constructor(panel: vscode.WebviewPanel, host: PanelHost) {
    super('translation', panel, host);
  }

  protected onDisposed(): void {
    if (TranslationPanel.currentPanel === this) TranslationPanel.currentPanel = undefined;
  }
}
