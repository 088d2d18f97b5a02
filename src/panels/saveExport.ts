/** Saving a panel's export (PNG, SVG, JSON or CSV) where the user picks, behind a save dialog. */
import * as os from 'node:os';
import * as vscode from 'vscode';
import type { ExportMessage, ExportResultMessage, PanelKind } from '../shared/protocol';
import { errorText } from '../util/errorText';
import { EXPORT_FILTERS, exportBytes, exportFileName } from './exportFile';

/** Asks where, writes the file, and resolves to the reply for the webview (never rejects). */
export async function saveExport(
  request: ExportMessage,
  panel: PanelKind,
  log: vscode.LogOutputChannel,
): Promise<ExportResultMessage> {
  const format = request.format;
  try {
    const bytes = exportBytes(format, request.content);
    const name = exportFileName(format, request.suggestedName);
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
    const uri = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.joinPath(folder, name),
      filters: EXPORT_FILTERS[format],
      saveLabel: 'Export',
      title: `Export ${format.toUpperCase()}`,
    });
    if (!uri) return { type: 'exportResult', ok: false, message: 'Export cancelled.' };
    await vscode.workspace.fs.writeFile(uri, bytes);
    const where = uri.scheme === 'file' ? uri.fsPath : uri.toString();
    log.info(`[${panel} panel] exported ${format} (${bytes.length} bytes) to ${where}`);
    return { type: 'exportResult', ok: true, message: `Saved ${where}` };
  } catch (err) {
    log.error(`[${panel} panel] export failed: ${errorText(err)}`);
    return {
      type: 'exportResult',
      ok: false,
      message: `Could not save the ${format.toUpperCase()}: ${errorText(err)}`,
    };
  }
}
