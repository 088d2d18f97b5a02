/**
 * The e2e's head-importance step, in its own module so that the journey file stays one list of
 * steps: Score Head Importance from the command palette, the progress notification, then the
 * Heads panel with three layer × head grids, the pruning curve and the table of every head.
 * Timeouts are generous: scoring runs in the translation worker on a machine other sessions load.
 */
import { runCommand, waitForTab } from '../vscode/drive.mjs';

/** Runs the command and checks the panel; `frameWith` finds the webview frame showing a selector. */
export async function scoreHeadImportance(page, frameWith, numHeadsPerKind) {
  await runCommand(page, 'Transformer: Score Head Importance');
  await waitForTab(page, 'Transformer: Heads');
  // Up to a few minutes under load (the book's model: ~30 s on an idle 2-core machine).
  const frame = await frameWith(page, '#pruning-chart svg', 300_000);
  const grids = await frame.locator('table.head-grid').count();
  if (grids !== 3) throw new Error(`Expected 3 head grids, found ${grids}`);
  const cells = await frame.locator('table.head-grid td.head-cell').count();
  if (cells !== 3 * numHeadsPerKind)
    throw new Error(`Expected ${3 * numHeadsPerKind} head cells, found ${cells}`);
  const rows = await frame.locator('#heads-table tbody tr').count();
  if (rows !== 3 * numHeadsPerKind)
    throw new Error(`Expected ${3 * numHeadsPerKind} rows: ${rows}`);
  const note = await frame.locator('#heads-note').innerText();
  if (!/held-out pairs/.test(note)) throw new Error(`The Heads panel's note: ${note}`);
  return { frame, note };
}
