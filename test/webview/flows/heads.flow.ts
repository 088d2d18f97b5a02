/**
 * The Heads panel (webview/heads/): the empty state and its "Score heads" button, progress with
 * Cancel, then a report: three layer × head grids coloured by the chosen measure, the pruning
 * curve, the table of every head sorted by click and by keyboard; a bad report is refused.
 */
import { sampleHeadReport } from '../../helpers/headReports';
import { FlowContext, runSteps } from '../flow';
import { isType, PanelPage } from '../panelPage';

export const headsFlow = (ctx: FlowContext): Promise<void> =>
  runSteps(ctx, 'heads', [emptyThenScore, progressAndCancel, report, sorting]);

const REPORT = sampleHeadReport(2, 4);

async function emptyThenScore({ check }: FlowContext, p: PanelPage): Promise<void> {
  await p.send({ type: 'headsState', report: null, source: null, progress: null });
  check('heads: nothing scored draws no chart', (await p.rendered('empty', 0)) === 0);
  check(
    'heads: the empty state says what scoring does',
    await p.page.locator('#heads-empty').isVisible(),
  );
  await p.page.locator('#score-heads').click();
  await p.waitFor(isType('scoreHeadImportance'), 'scoreHeadImportance');
  check('heads: "Score heads" asks the host to score', true);
}

async function progressAndCancel({ check }: FlowContext, p: PanelPage): Promise<void> {
  const progress = { phase: 'heads' as const, done: 7, total: 50 };
  await p.send({ type: 'headsState', report: null, source: null, progress });
  await p.rendered('progress', 0);
  const status = (await p.page.locator('#heads-status').textContent()) ?? '';
  check('heads: progress shows done/total and the phase', status.includes('7/50 (heads)'), status);
  check(
    'heads: the score button is disabled while scoring',
    await p.page.locator('#score-heads').isDisabled(),
  );
  await p.page.locator('#cancel-heads').focus();
  await p.page.keyboard.press('Enter');
  await p.waitFor(isType('cancelHeadImportance'), 'cancelHeadImportance');
  check('heads: Cancel (by keyboard) asks the host to stop', true);
}

async function report({ check, shoot }: FlowContext, p: PanelPage): Promise<void> {
  await p.send({ type: 'headsState', report: REPORT, source: 'Run 3', progress: null });
  check('heads: a report draws the pruning curve', (await p.rendered('report', 1)) === 1);
  const grids = p.page.locator('table.head-grid');
  check('heads: one grid per kind', (await grids.count()) === 3);
  check(
    'heads: 2 layers × 4 heads per grid',
    (await grids.first().locator('td.head-cell').count()) === 8,
  );
  const first =
    (await p.page.locator('[data-head="encoderSelf:0:1"] .head-label').textContent()) ?? '';
  check('heads: a head shows its label', first === 'previous token', first);
  const note = (await p.page.locator('#heads-note').textContent()) ?? '';
  check(
    'heads: the note names the run and the pairs',
    note.includes('Run 3') && note.includes('200 held-out pairs'),
    note,
  );
  const points = p.page.locator('#pruning-chart .mark-symbol path');
  const width = (await p.page.locator('#pruning-chart svg').boundingBox())?.width ?? 0;
  check(
    'heads: the pruning curve draws a point per k, across the panel',
    (await points.count()) === REPORT.pruning.length && width > 300,
    { points: await points.count(), width },
  );
  await shoot(p, 'heads-report');
  await p.page.locator('#measure-bleuDrop').click();
  await p.rendered('measure', 1);
  const value =
    (await p.page.locator('[data-head="encoderSelf:0:0"] .head-value').textContent()) ?? '';
  check(
    'heads: "BLEU drop" colours and labels the grid by BLEU drop',
    value === REPORT.heads[0].bleuDrop.toFixed(3),
    value,
  );
  const malformed: Record<string, unknown> = {
    type: 'headsState',
    report: { ...REPORT, heads: 'x' },
    source: null,
    progress: null,
  };
  await p.send(malformed);
  p.expectedErrors.push(/headsState: heads: bad heads/);
  await p.page.waitForTimeout(300);
  check('heads: a malformed report is refused, the last one stays', (await grids.count()) === 3);
}

async function firstCells(p: PanelPage): Promise<string[]> {
  return p.page.locator('#heads-table tbody tr th').allTextContents();
}

async function sorting({ check, shoot }: FlowContext, p: PanelPage): Promise<void> {
  const byGradient = await firstCells(p);
  check(
    'heads: the table starts most important first (gradient)',
    byGradient[0] === 'cross 2.4',
    byGradient.slice(0, 3),
  );
  const headSort = p.page.locator('[data-focus-key="heads-sort-head"]');
  await headSort.click();
  await p.rendered('sorted', 1);
  check('heads: sorting by head puts enc 1.1 first', (await firstCells(p))[0] === 'enc 1.1');
  await p.page.keyboard.press('Enter');
  await p.rendered('sorted again', 1);
  const focused = await p.page.evaluate('document.activeElement?.dataset?.focusKey');
  check(
    'heads: Enter on the focused header reverses the order and keeps focus',
    (await firstCells(p))[0] === 'cross 2.4' && focused === 'heads-sort-head',
    focused,
  );
  await shoot(p, 'heads-sorted');
}
