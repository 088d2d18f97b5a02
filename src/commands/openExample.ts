import * as vscode from 'vscode';
import type { Command } from './command';

/** Short sentences of the kind the book's model trains on; the last carries a reference. */
export const EXAMPLE_SENTENCES = [
  'go .',
  'i lost .',
  "he's calm .",
  "i'm home .",
  "i lost .\tj'ai perdu .",
];

/**
 * Open Example Sentences (the walkthrough's translate step): an untitled plain-text document
 * with sentences the model knows, the first one selected, ready for Translate Selection.
 */
export const openExample: Command = {
  id: 'openExample',
  async run() {
    const document = await vscode.workspace.openTextDocument({
      language: 'plaintext',
      content: EXAMPLE_SENTENCES.join('\n') + '\n',
    });
    const editor = await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    editor.selection = new vscode.Selection(0, 0, 0, EXAMPLE_SENTENCES[0].length);
    return editor;
  },
};
