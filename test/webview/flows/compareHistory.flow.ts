/**
 * Compare Runs as the run history changes (webview/compare/state.ts): a new run arrives
 * (checked; earlier choices kept), a failed run (neither current nor comparable), malformed host
 * messages (ignored and reported), a deleted run (gone from the table, the picks and the chart);
 * then a reload restores sort, kind, sentence and checks, and the themes.
 */
import { setTheme } from '../browser';
import { RUN_IDS } from '../fixtures';
import type { FlowContext, Step } from '../flow';
import { isType, PanelPage } from '../panelPage';
import { THEMES } from '../themes';
import { header, legendLabels, makeCurrentButton, rowIds, runCheck, same } from './compareLocators';

const [run1, run2, run3] = RUN_IDS;

export const historyChanges: Step[] = [newAndFailedRuns, malformedMessages, deletedRun];

/** A new run arrives (failed, no model): checked by default; run 1 stays unchecked. */
async function newAndFailedRuns({ check, fx }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  await runCheck(page, run1).uncheck();
  await p.rendered('run 1 unchecked again');
  await p.send(fx.runsWithFailed);
  await p.rendered('three runs');
  check(
    'compare: a new run is listed and checked; earlier choices kept',
    (await page.locator('#runs-table tbody tr').count()) === 3 &&
      (await runCheck(page, run3).isChecked()) &&
      !(await runCheck(page, run1).isChecked()) &&
      same(await legendLabels(page), ['Run 3', 'Run 2']),
    await legendLabels(page),
  );
  check(
    'compare: a failed run cannot be made current nor compared',
    (await makeCurrentButton(page, run3).isDisabled()) &&
      (await page.locator(`#pick-a option[value="${run3}"]`).count()) === 0 &&
      /Out of memory/.test(
        (await page
          .locator(`tr[data-run-id="${run3}"] td:has(.badge[data-status="failed"])`)
          .getAttribute('title')) ?? '',
      ),
  );
}

async function malformedMessages({ check }: FlowContext, p: PanelPage): Promise<void> {
  p.expectedErrors.push(/ignored an invalid/);
  // Deliberately not a HostToWebview: a run record without its fields.
  const malformed: Record<string, unknown> = {
    type: 'runsState',
    runs: [{ id: 'x' }],
    currentRunId: null,
    totalBytes: 0,
    limitBytes: 1,
  };
  await p.send(malformed);
  const bad = await p.waitFor(isType('webviewError'), 'webviewError');
  const malformed2: Record<string, unknown> = {
    type: 'compareAttentionResult',
    sentence: 1,
    sides: [],
  };
  await p.send(malformed2);
  const bad2 = await p.waitFor(isType('webviewError'), 'webviewError 2');
  check(
    'compare: malformed runsState and compareAttentionResult are ignored and reported',
    /runsState/.test(bad.message) &&
      /compareAttentionResult/.test(bad2.message) &&
      (await p.page.locator('#runs-table tbody tr').count()) === 3,
    [bad.message.slice(0, 80), bad2.message.slice(0, 80)],
  );
}

/** Run 1 deleted: it leaves the selections; run B has no other run to fall back on. */
async function deletedRun({ check, fx }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  await p.send(fx.runsAfterDelete);
  check('compare: the list after a deletion renders', (await p.rendered('after delete')) === 25);
  check(
    'compare: a deleted run leaves the table, the picks and the chart',
    same(await rowIds(page), [run3, run2]) &&
      (await page.locator('#pick-a').inputValue()) === run2 &&
      (await page.locator('#pick-b').inputValue()) === '' &&
      (await page.locator('#compare').isDisabled()) &&
      (await page.locator('#compare-hint').isVisible()) &&
      !((await page.locator('#curves-chart').getAttribute('data-runs')) ?? '').includes(run1),
  );
}

/** Hidden and shown again: everything comes back from setState before the host answers. */
export async function reloadAndThemes({ check, shoot }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  await header(page, 'loss').locator('button').click();
  await p.rendered('sorted by loss again');
  await page.locator('#compare-sentence').fill("he's calm .");
  await runCheck(page, run3).uncheck();
  await p.rendered('run 3 unchecked');
  await p.reload();
  await p.waitFor(isType('ready'), 'ready after reload');
  check('compare: restored after reload', (await p.rendered('restored')) === 25);
  check(
    'compare: sort, kind, sentence and checks restored',
    (await header(page, 'loss').getAttribute('aria-sort')) === 'ascending' &&
      (await page.locator('#kind-encoderDecoder').getAttribute('aria-pressed')) === 'true' &&
      (await page.locator('#compare-sentence').inputValue()) === "he's calm ." &&
      (await runCheck(page, run2).isChecked()) &&
      !(await runCheck(page, run3).isChecked()),
  );
  await setTheme(page, THEMES.dark);
  check('compare: re-renders for the dark theme', (await p.rendered('dark')) === 25);
  await shoot(p, 'compare-dark');
  await setTheme(page, THEMES['high-contrast']);
  await p.rendered('hc');
  await shoot(p, 'compare-hc');
}
