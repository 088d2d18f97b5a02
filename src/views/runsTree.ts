/**
 * The Runs view in the Transformer activity-bar container: every run of the run history, newest
 * first, the current model marked. Its context menu and title buttons are commands
 * (src/commands/runs.ts); what each shows is decided here.
 */
import * as vscode from 'vscode';
import type { RunHistory } from '../host/runHistory';
import { heldOutText, runLabel } from '../runs/runLabel';
import type { RunRecord } from '../shared/protocol';

export const RUNS_VIEW_ID = 'transformerExplorer.runs';

/**
 * The tree item's contextValue, which the menus' `when` clauses read: `run.current` (the model
 * translations use), `run.model` (has a saved model), `run.noModel` (stopped or failed).
 */
export function runContext(run: RunRecord, currentRunId: string | null): string {
  if (run.id === currentRunId) return 'run.current';
  return run.hasCheckpoint ? 'run.model' : 'run.noModel';
}

/** One line of the view: label, what it scored, and a tooltip with the details. */
export function runTreeItem(run: RunRecord, currentRunId: string | null): vscode.TreeItem {
  const item = new vscode.TreeItem(runLabel(run), vscode.TreeItemCollapsibleState.None);
  const current = run.id === currentRunId;
  item.id = run.id;
  item.contextValue = runContext(run, currentRunId);
  item.description = runDescription(run, current);
  item.iconPath = new vscode.ThemeIcon(
    current ? 'pass-filled' : run.status === 'finished' ? 'circle-outline' : statusIcon(run),
  );
  item.tooltip = new vscode.MarkdownString(runTooltip(run, current));
  item.accessibilityInformation = {
    label: `${runLabel(run)}, ${item.description}`,
    role: 'treeitem',
  };
  return item;
}

/** "current · loss 0.032 · BLEU 0.41", "stopped at epoch 12", "failed". */
export function runDescription(run: RunRecord, current: boolean): string {
  const parts: string[] = current ? ['current'] : [];
  if (run.imported) parts.push('imported');
  if (run.status === 'cancelled') parts.push(`stopped at epoch ${run.points.length}`);
  if (run.status === 'failed') parts.push('failed');
  if (run.summary && run.status === 'finished') {
    parts.push(`loss ${run.summary.lossPerToken.toFixed(3)}`);
  }
  if (run.heldOut) parts.push(`BLEU ${run.heldOut.meanBleu2.toFixed(2)}`);
  return parts.join(' · ');
}

function statusIcon(run: RunRecord): string {
  return run.status === 'failed' ? 'error' : 'debug-stop';
}

/** The tooltip's Markdown: what the run is, what it scored, where its model is. */
export function runTooltip(run: RunRecord, current: boolean): string {
  const h = run.hyperparameters;
  const trained = run.imported
    ? `Imported from ${run.imported.file} (${run.imported.format}); its training data is unknown`
    : `${h.numEpochs} epochs, ${h.numExamples} pairs, seed ${h.seed}`;
  return [
    `**${runLabel(run)}**${current ? ' (current model)' : ''}`,
    '',
    `${new Date(run.createdAt).toLocaleString()} · ${run.status}`,
    `${h.numLayers} layers × ${h.numHeads} heads, width ${h.numHiddens}, ${trained}`,
    run.backend ? `Backend: ${run.backend.label}` : '',
    run.heldOut
      ? heldOutText(run.heldOut)
      : run.hasCheckpoint
        ? 'Held-out BLEU not scored (context menu: Score Held-out BLEU).'
        : '',
    run.hasCheckpoint ? '' : 'No saved model.',
  ]
    .filter((line, i) => i < 2 || line !== '')
    .join('\n\n');
}

export class RunsTreeProvider implements vscode.TreeDataProvider<RunRecord>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private currentRunId: string | null = null;

  constructor(private readonly history: RunHistory) {}

  /** The history changed (a run ended, was made current or deleted): read it again. */
  refresh(): void {
    this.changed.fire();
  }

  getTreeItem(run: RunRecord): vscode.TreeItem {
    return runTreeItem(run, this.currentRunId);
  }

  async getChildren(parent?: RunRecord): Promise<RunRecord[]> {
    if (parent) return [];
    const state = await this.history.state();
    this.currentRunId = state.currentRunId;
    return state.runs; // newest first; none: the view's welcome content shows
  }

  dispose(): void {
    this.changed.dispose();
  }
}
