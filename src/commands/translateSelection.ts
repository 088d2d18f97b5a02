import * as vscode from 'vscode';
import { parseSelection } from '../host/selection';
import { translateAndShow } from '../host/translateAndShow';
import type { TranslationItem } from '../shared/protocol';
import { Command, commandId } from './command';

/**
 * Translate Selection: every selected line (`english<TAB>french` carries its own reference),
 * into the translation panel; the first one also in a notification with its BLEU.
 */
export const translateSelection: Command = {
  id: 'translateSelection',
  async run(explorer) {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showWarningMessage('Open a file and select English text to translate.');
      return undefined;
    }
    const text = editor.selections.map((range) => editor.document.getText(range)).join('\n');
    const parsed = parseSelection(text);
    if (!parsed.ok) {
      void vscode.window.showWarningMessage(parsed.message);
      return undefined;
    }
    const items = await translateAndShow(explorer, parsed.sentences);
    if (items) explorer.sourceHighlight.remember(editor.document, editor.selections, items);
    if (items?.[0]) announce(items[0]);
    return items;
  },
};

/** “source” → “translation” (BLEU), unknown words, and a Show Attention button. */
function announce(first: TranslationItem): void {
  const bleu = first.bleu !== undefined ? ` (BLEU ${first.bleu.toFixed(3)})` : '';
  const unknown = first.unknownTokens.length
    ? ` Unknown words: ${first.unknownTokens.join(', ')}.`
    : '';
  const cut = first.truncation;
  const cutNote = cut
    ? ` The model read only the first ${cut.keptTokens} of ${cut.totalTokens} tokens (cut after “${cut.lastKept}”; transformer.numSteps).`
    : '';
  void vscode.window
    .showInformationMessage(
      `“${first.source}” → “${first.translation}”${bleu}.${cutNote}${unknown}`,
      'Show Attention',
    )
    .then((choice) => choice && vscode.commands.executeCommand(commandId('openAttention')));
}
