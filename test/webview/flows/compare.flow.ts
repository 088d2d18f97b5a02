/**
 * The Compare Runs panel (webview/compare/): loading and the empty history, the runs table
 * (columns, the current run, sorting by click and keyboard, checks), the overlaid loss curves
 * and seed translations of the checked runs, row actions, the attention of two runs
 * (compareAttention.flow.ts), the head importance of two runs (compareHeads.flow.ts), CSV /
 * PNG / SVG exports, then runs that arrive, fail or are
 * deleted, bad host messages, the state kept across a reload, and themes (compareHistory.flow.ts);
 * the narrow table, the tables of the charts and the contrast (compareA11y.flow.ts).
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseWebviewMessage } from '../../../src/shared/validate';
import { SCREENSHOT_DIR } from '../browser';
import { highContrastChecks } from '../a11y';
import { HISTORY_LIMIT, RUN_IDS } from '../fixtures';
import { FlowContext, runSteps } from '../flow';
import { isType, PanelPage } from '../panelPage';
import { attentionTables, curvesTable, emptyHistory, narrowTable } from './compareA11y.flow';
import { attentionOfTwoRuns } from './compareAttention.flow';
import { headsOfTwoRuns } from './compareHeads.flow';
import { historyChanges, reloadAndThemes } from './compareHistory.flow';
import {
  column,
  header,
  legendLabels,
  makeCurrentButton,
  rowIds,
  runCheck,
  same,
  seedRuns,
} from './compareLocators';

const [run1, run2] = RUN_IDS;

export const compareFlow = (ctx: FlowContext): Promise<void> =>
  runSteps(ctx, 'compare', [
    loadingThenEmpty,
    ...emptyHistory,
    runsTable,
    ...narrowTable,
    sorting,
    checkedRuns,
    ...curvesTable,
    rowActions,
    ...attentionOfTwoRuns,
    ...attentionTables,
    ...headsOfTwoRuns,
    exports,
    ...historyChanges,
    reloadAndThemes,
    highContrastChecks(true),
  ]);

/** A loading line until the host answers; no run yet: a line that says how to make one. */
async function loadingThenEmpty({ check, shoot }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  check(
    'compare: a loading line until the host answers',
    await page.locator('#runs-loading').isVisible(),
  );
  await p.send({
    type: 'runsState',
    runs: [],
    currentRunId: null,
    totalBytes: 0,
    limitBytes: HISTORY_LIMIT,
  });
  check('compare: an empty history draws no chart', (await p.rendered('empty', 0)) === 0);
  const emptyText = (await page.locator('#runs-empty').textContent()) ?? '';
  check(
    'compare: the empty state names the Train command and says runs are kept',
    (await page.locator('#runs-empty').isVisible()) &&
      emptyText.includes('Transformer: Train Transformer') &&
      /every run is kept/.test(emptyText) &&
      !(await page.locator('#runs-content').isVisible()),
    emptyText,
  );
  await shoot(p, 'compare-empty-light');
}

/** Two runs: 2 layers dot product (current) and 4 layers additive. */
async function runsTable({ check, fx, shoot, timings }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  const t0 = Date.now();
  await p.send(fx.runs);
  check('compare: two runs draw the loss chart', (await p.rendered('two runs')) === 1);
  timings.compareRenderMs = Date.now() - t0;
  await shoot(p, 'compare-runs-light');
  check('compare: newest run first', same(await rowIds(page), [run2, run1]));
  const col = (key: string) => column(page, key);
  check(
    'compare: layers, attention and pairs columns',
    same(await col('layers').allTextContents(), ['4', '2']) &&
      same(await col('attention').allTextContents(), ['additive', 'dotProduct']) &&
      same(await col('pairs').allTextContents(), ['600', '600']),
    await col('attention').allTextContents(),
  );
  check(
    'compare: the current run is marked',
    (await page.locator(`tr.current[data-run-id="${run1}"] .current-badge`).count()) === 1 &&
      (await page.locator('tr.current').count()) === 1,
  );
  const bleu2 = await col('bleu2').allTextContents();
  check(
    'compare: held-out BLEU-2 with its count in the title, — and a Score button when not scored',
    bleu2[0] === '— Score' &&
      bleu2[1] === '0.412' &&
      (await col('bleu2').nth(1).getAttribute('title')) === 'on 200 held-out pairs',
    bleu2,
  );
  check(
    'compare: seed BLEU is the mean of the seeds',
    (await col('seedBleu').nth(1).textContent()) === ((1 + 1 + 0.658 + 1) / 4).toFixed(3),
    await col('seedBleu').allTextContents(),
  );
  const history = (await page.locator('#history-size').textContent()) ?? '';
  check(
    'compare: history size of its limit',
    /^history [\d.]+ MB of 500 MB$/.test(history),
    history,
  );
}

/** A click sorts, a second reverses; aria-sort follows; Enter and Space keep the focus. */
async function sorting({ check }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  const th = (key: string) => header(page, key);
  await th('layers').locator('button').click();
  await p.rendered('sorted by layers');
  check(
    'compare: clicking "Layers" sorts ascending (aria-sort)',
    same(await rowIds(page), [run1, run2]) &&
      (await th('layers').getAttribute('aria-sort')) === 'ascending' &&
      (await th('run').getAttribute('aria-sort')) === null,
  );
  await th('layers').locator('button').click();
  await p.rendered('sorted by layers, descending');
  check(
    'compare: clicking it again sorts descending',
    same(await rowIds(page), [run2, run1]) &&
      (await th('layers').getAttribute('aria-sort')) === 'descending',
  );
  check(
    'compare: the chart legend and the seed columns follow the table order',
    same(await legendLabels(page), ['Run 2', 'Run 1']) && same(await seedRuns(page), [run2, run1]),
    await legendLabels(page),
  );
  await th('loss').locator('button').focus();
  await page.keyboard.press('Enter');
  await p.rendered('sorted by loss');
  const losses = (await column(page, 'loss').allTextContents()).map(Number);
  check(
    'compare: Enter on a header sorts, keeps the focus',
    losses.length === 2 &&
      losses[0] <= losses[1] &&
      (await th('loss').getAttribute('aria-sort')) === 'ascending' &&
      (await page.evaluate(`document.activeElement && document.activeElement.dataset.column`)) ===
        'loss',
    losses,
  );
  await th('run').locator('button').focus();
  await page.keyboard.press('Space');
  await p.rendered('sorted by run');
  check(
    'compare: Space on "Run" sorts newest first',
    same(await rowIds(page), [run2, run1]) &&
      (await th('run').getAttribute('aria-sort')) === 'descending',
  );
}

/** The checked runs: both drawn; unchecking one takes it out of the chart and the seed table. */
async function checkedRuns({ check }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  const lines = page.locator('#curves-chart g.mark-line path');
  check('compare: one line per checked run', (await lines.count()) === 2, await lines.count());
  check(
    'compare: seed table rows and run columns',
    (await page.locator('#seeds-table tbody tr').count()) === 4 &&
      (await seedRuns(page)).length === 2,
  );
  await runCheck(page, run1).uncheck();
  check('compare: unchecking re-renders the chart', (await p.rendered('run 1 unchecked')) === 1);
  check(
    'compare: an unchecked run leaves the chart data and the seed table',
    (await lines.count()) === 1 &&
      same(await legendLabels(page), ['Run 2']) &&
      (await page.locator('#curves-chart').getAttribute('data-runs')) === run2 &&
      same(await seedRuns(page), [run2]) &&
      (await page
        .locator('#check-all')
        .evaluate((b) => (b as unknown as { indeterminate: boolean }).indeterminate)),
    await legendLabels(page),
  );
  await runCheck(page, run1).check();
  await p.rendered('run 1 checked');
  check('compare: checking it again draws it again', (await lines.count()) === 2);
  // Tooltip of a curve's point.
  await page.locator('#curves-chart g.mark-symbol path').first().hover();
  const tip = page.locator('#vg-tooltip-element.visible');
  await tip.waitFor({ timeout: 5000 });
  const tipText = (await tip.innerText()).replace(/\s+/g, ' ');
  check(
    'compare: a point tooltip names the run, epoch and loss',
    /run Run \d/.test(tipText) &&
      /epoch \d+/.test(tipText) &&
      /loss\/token \d\.\d{4}/.test(tipText),
    tipText,
  );
  await page.mouse.move(1, 1);
}

/** Make current (not on the current run) and Delete post their messages with the run id. */
async function rowActions({ check }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  check(
    'compare: "Make current" is disabled on the current run only',
    (await makeCurrentButton(page, run1).isDisabled()) &&
      (await makeCurrentButton(page, run2).isEnabled()),
  );
  await makeCurrentButton(page, run2).click();
  const mc = await p.waitFor(isType('makeRunCurrent'), 'makeRunCurrent');
  check('compare: Make current posts makeRunCurrent with the run id', mc.runId === run2, mc);
  await page.locator(`tr[data-run-id="${run1}"] button.delete-run`).click();
  const del = await p.waitFor(isType('deleteRun'), 'deleteRun');
  check('compare: Delete posts deleteRun with the run id', del.runId === run1, del);
}

/** The table as CSV, the chart as PNG and SVG. */
async function exports({ check }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  await page.locator('#export-csv').click();
  const csv = await p.waitFor(isType('export'), 'CSV export');
  const csvLines = csv.content.split('\r\n');
  check(
    'compare: CSV export of the table (header, a line per run, RFC 4180 quoting)',
    parseWebviewMessage(csv).ok &&
      csv.format === 'csv' &&
      csv.suggestedName === 'transformer-runs.csv' &&
      csvLines.length === 4 &&
      csvLines[3] === '' &&
      csvLines[0].startsWith('run,id,') &&
      csvLines[1].startsWith(`2,${run2},`) &&
      csvLines[1].includes(',"WebAssembly (SIMD, 2 threads)",') &&
      csvLines[1].includes(',additive,') &&
      csvLines[2].includes(',dotProduct,'),
    csvLines.slice(0, 3),
  );
  await p.send({ type: 'exportResult', ok: true, message: 'Saved /tmp/transformer-runs.csv' });
  // A locator wait: waitForFunction would poll with eval, which the panel's CSP blocks.
  await page.locator('#csv-status', { hasText: 'Saved' }).waitFor({ timeout: 5000 });
  check('compare: exportResult shown beside the CSV button', true);
  await page.locator('#export-png').click();
  const png = await p.waitFor(isType('export'), 'PNG export');
  const bytes = Buffer.from(png.content.replace(/^data:image\/png;base64,/, ''), 'base64');
  check(
    'compare: PNG export of the loss chart',
    parseWebviewMessage(png).ok &&
      png.format === 'png' &&
      bytes.subarray(0, 8).toString('hex') === '89504e470d0a1a0a' &&
      bytes.readUInt32BE(16) > 1000,
    { name: png.suggestedName, width: bytes.readUInt32BE(16) },
  );
  writeFileSync(path.join(SCREENSHOT_DIR, 'export-runs-loss.png'), bytes);
  await page.locator('#export-svg').click();
  const svg = await p.waitFor(isType('export'), 'SVG export');
  check(
    'compare: SVG export of the loss chart with both runs',
    svg.format === 'svg' &&
      svg.content.startsWith('<svg') &&
      svg.content.includes('Run 1') &&
      svg.content.includes('Run 2'),
  );
}
