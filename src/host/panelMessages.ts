/**
 * What the host does with each message from a panel's webview (checked first by
 * src/panels/routing.ts). A message that asks for something resolves to its reply, which the
 * panel that asked posts back to its webview. Never rejects: a failure is logged and shown.
 */
import * as vscode from 'vscode';
import type { HostToWebview, PanelKind, WebviewToHost } from '../shared/protocol';
import type { Explorer } from './explorer';
import { answerMaskHeads, answerWalkHead } from './exploreHeads';
import { compareRunsOn, confirmAndDeleteRun, makeRunCurrent } from './runActions';
import { parseSelection } from './selection';
import { showAttention, translateAndShow } from './translateAndShow';

export async function answerPanelMessage(
  explorer: Explorer,
  panel: PanelKind,
  message: WebviewToHost,
): Promise<HostToWebview | undefined> {
  const { log, history } = explorer;
  const attempt = <T>(what: string, action: () => Promise<T>): Promise<T | undefined> =>
    action().catch((err: unknown) => {
      explorer.reportError(what, err);
      return undefined;
    });
  switch (message.type) {
    case 'ready':
      log.debug(`${panel} panel ready`);
      return undefined;
    case 'rendered':
      explorer.renderedCharts.set(panel, message.charts);
      log.debug(`${panel} panel rendered ${message.charts} charts`);
      return undefined;
    case 'cancelTraining':
      explorer.training.stop();
      return undefined;
    case 'openSettings':
      void vscode.commands.executeCommand('transformerExplorer.openSettings');
      return undefined;
    case 'runCommand':
      // An empty state's button: the command the palette runs (validate.ts allows 'train' only).
      void vscode.commands.executeCommand(`transformerExplorer.${message.command}`);
      return undefined;
    case 'showAttention':
      if (explorer.translations.select(message.translationId)) void showAttention(explorer);
      return undefined;
    case 'highlightSource':
      explorer.sourceHighlight.highlight(message.translationId, message.target);
      return undefined;
    case 'translateSentence': {
      const parsed = parseSelection(message.sentence);
      if (!parsed.ok) void vscode.window.showWarningMessage(parsed.message);
      else void translateAndShow(explorer, parsed.sentences);
      return undefined;
    }
    case 'makeRunCurrent':
      await attempt('Could not make the run current', () => makeRunCurrent(history, message.runId));
      return undefined;
    case 'deleteRun':
      await attempt('Could not delete the run', () => confirmAndDeleteRun(history, message.runId));
      return undefined;
    case 'compareAttention':
      return attempt('Could not compare the runs', () =>
        compareRunsOn(history, message.runIds, message.sentence),
      );
    case 'scoreHeadImportance':
      void explorer.heads.score();
      return undefined;
    case 'cancelHeadImportance':
      explorer.heads.cancel();
      return undefined;
    case 'maskHeads':
      return answerMaskHeads(explorer, message);
    case 'walkHead':
      return answerWalkHead(explorer, message);
    default:
      // webviewError: the panel has logged it. export: the panel saves it itself.
      return undefined;
  }
}
