/** Translating sentences with the current model and showing them: Translate Selection and the
 * translation panel's box both come here. */
import * as vscode from 'vscode';
import type { TranslationItem } from '../shared/protocol';
import type { Explorer } from './explorer';
import type { SentenceRequest } from './selection';

/**
 * Translates (with a progress indicator), opens the translation panel and updates the attention
 * panel. Without a trained model, offers to train one. Resolves to the translations, or
 * undefined when there were none (no model, or the translation failed: shown to the user).
 */
export async function translateAndShow(
  explorer: Explorer,
  sentences: SentenceRequest[],
): Promise<TranslationItem[] | undefined> {
  const { translations, panels } = explorer;
  if (!translations.hasModel()) {
    void vscode.window
      .showInformationMessage(
        'There is no trained model yet. Train one first (the book’s settings take a few minutes).',
        'Train Transformer',
      )
      .then((choice) => {
        if (choice) void vscode.commands.executeCommand('transformerExplorer.train');
      });
    return undefined;
  }
  try {
    const items = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Translating…' },
      () => translations.translate(sentences),
    );
    await panels.show('translation');
    void panels.refresh('translation');
    void panels.refresh('attention');
    return items;
  } catch (err) {
    explorer.reportError('Translation failed', err);
    return undefined;
  }
}

/** Opens (or reveals) the attention panel on the selected translation. */
export async function showAttention(explorer: Explorer): Promise<void> {
  await explorer.panels.show('attention');
  void explorer.panels.refresh('attention');
}
