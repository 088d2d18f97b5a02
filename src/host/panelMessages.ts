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

/** void: nothing to post back. */
type Reply = HostToWebview | undefined | void;
type MessageOf<T extends WebviewToHost['type']> = Extract<WebviewToHost, { type: T }>;
type Handler<T extends WebviewToHost['type']> = (
  explorer: Explorer,
  panel: PanelKind,
  message: MessageOf<T>,
) => Reply | Promise<Reply>;

/** `action`'s result, or undefined with the failure logged and shown. */
function attempt<T>(
  explorer: Explorer,
  what: string,
  action: () => Promise<T>,
): Promise<T | undefined> {
  return action().catch((err: unknown) => {
    explorer.reportError(what, err);
    return undefined;
  });
}

function translateSentence(explorer: Explorer, sentence: string): void {
  const parsed = parseSelection(sentence);
  if (!parsed.ok) void vscode.window.showWarningMessage(parsed.message);
  else void translateAndShow(explorer, parsed.sentences);
}

/** Nothing to do on the host. webviewError: the panel has logged it. export: the panel saves it. */
const nothing = (): Reply => undefined;

/** One handler per message type: a type missing here fails to compile. */
const HANDLERS: { [T in WebviewToHost['type']]: Handler<T> } = {
  ready: (explorer, panel) => void explorer.log.debug(`${panel} panel ready`),
  rendered: (explorer, panel, message) => {
    explorer.renderedCharts.set(panel, message.charts);
    explorer.log.debug(`${panel} panel rendered ${message.charts} charts`);
  },
  cancelTraining: (explorer) => void explorer.training.stop(),
  openSettings: () => void vscode.commands.executeCommand('transformerExplorer.openSettings'),
  // A panel's button: the command the palette runs (validate.ts: PANEL_COMMANDS), for one run
  // (`runId`) where the command takes one.
  runCommand: (_e, _p, { command, runId }) =>
    void vscode.commands.executeCommand(
      `transformerExplorer.${command}`,
      ...(runId === undefined ? [] : [runId]),
    ),
  showAttention: (explorer, _p, message) => {
    if (explorer.translations.select(message.translationId)) void showAttention(explorer);
  },
  highlightSource: (explorer, _p, { translationId, target, layer, head }) =>
    explorer.sourceHighlight.highlight(translationId, target, { layer, head }),
  translateSentence: (explorer, _p, message) => translateSentence(explorer, message.sentence),
  makeRunCurrent: async (explorer, _p, message) => {
    await attempt(explorer, 'Could not make the run current', () =>
      makeRunCurrent(explorer.history, message.runId),
    );
  },
  deleteRun: async (explorer, _p, message) => {
    await attempt(explorer, 'Could not delete the run', () =>
      confirmAndDeleteRun(explorer.history, message.runId),
    );
  },
  compareAttention: (explorer, _p, message) =>
    attempt(explorer, 'Could not compare the runs', () =>
      compareRunsOn(explorer.history, message.runIds, message.sentence),
    ),
  scoreHeadImportance: (explorer) => void explorer.heads.score(),
  cancelHeadImportance: (explorer) => void explorer.heads.cancel(),
  maskHeads: (explorer, _p, message) => answerMaskHeads(explorer, message),
  walkHead: (explorer, _p, message) => answerWalkHead(explorer, message),
  webviewError: nothing,
  export: nothing,
};

export async function answerPanelMessage(
  explorer: Explorer,
  panel: PanelKind,
  message: WebviewToHost,
): Promise<HostToWebview | undefined> {
  // TypeScript cannot pair a union's member with its handler: the table's type does.
  const handle = HANDLERS[message.type] as Handler<WebviewToHost['type']>;
  return (await handle(explorer, panel, message)) ?? undefined;
}
