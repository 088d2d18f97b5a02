import * as vscode from 'vscode';
import type { CompareAttentionResultMessage, RunRecord } from '../shared/protocol';
import { RunHistory } from './runHistory';
import { parseSelection } from './selection';

/**
 * What the Compare Runs panel's buttons do, with the notifications people see. None of them
 * awaits a notification (a command or message handler must not wait for a click).
 */

/** Make current, then offer to put the run's hyperparameters back into settings.json. */
export async function makeRunCurrent(history: RunHistory, runId: string): Promise<RunRecord> {
  const run = await history.makeCurrent(runId);
  void vscode.window
    .showInformationMessage(
      `Run ${run.number} is now the current model: translations and the attention panel use it.`,
      'Use Its Settings',
    )
    .then(async (choice) => {
      if (!choice) return;
      const changed = await history.useSettingsOf(runId);
      void vscode.window.showInformationMessage(
        changed.length
          ? `Settings updated: ${changed.join(', ')}.`
          : 'The settings already match this run.',
      );
    });
  return run;
}

/** Asks first (a modal dialog: deleting cannot be undone), then deletes. */
export async function confirmAndDeleteRun(history: RunHistory, runId: string): Promise<boolean> {
  const run = (await history.state()).runs.find((r) => r.id === runId);
  if (!run) return false;
  const choice = await vscode.window.showWarningMessage(
    `Delete Run ${run.number} from the history? Its loss curve, translations and saved model are removed.`,
    { modal: true },
    'Delete',
  );
  return choice === 'Delete' && history.delete(runId);
}

/** The first sentence of `text` (checked as a selection is) through two runs' models. */
export function compareRunsOn(
  history: RunHistory,
  runIds: readonly string[],
  text: string,
): Promise<CompareAttentionResultMessage> {
  const parsed = parseSelection(text);
  if (!parsed.ok) return Promise.reject(new Error(parsed.message));
  return history.compare(runIds, parsed.sentences[0]);
}
