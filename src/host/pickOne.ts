import * as vscode from 'vscode';

/** One file or folder from the open dialog, or undefined when the user cancels. */
export async function pickOne(options: vscode.OpenDialogOptions): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({ ...options, canSelectMany: false });
  return picked?.[0];
}
