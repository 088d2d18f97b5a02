/**
 * The training panel's states beyond a run that finishes (webview/training/, specs/
 * trainingNotes.ts): before any training an empty state whose button runs Train Transformer;
 * the two tokens/s figures labelled; the loss as a table with the streamed numbers; and after
 * Stop Training, notes that say no model was saved instead of promising translations.
 */
import { NUM_EPOCHS } from '../fixtures';
import type { FlowContext, Step } from '../flow';
import { isType, PanelPage } from '../panelPage';

export const idleFirst: Step[] = [idleEmptyState];
export const afterFinish: Step[] = [speedsAndTable];
export const afterStop: Step[] = [stoppedRun];

/** No training yet: what to do, a button that runs it, and no empty progress and tables. */
async function idleEmptyState({ check, fx, shoot }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  await p.send({
    ...fx.trainingStart,
    status: 'idle',
    statusText: 'No training yet. Run “Transformer: Train Transformer”.',
    hyperparameters: null,
    backend: null,
  });
  check('training: idle draws no chart', (await p.rendered('idle')) === 0);
  check(
    'training: before any run, an empty state instead of empty progress and tables',
    (await page.locator('#training-empty').isVisible()) &&
      !(await page.locator('#run').isVisible()) &&
      /No training yet/.test(await page.locator('#training-empty').innerText()),
  );
  await shoot(p, 'training-empty-light');
  await page.locator('#empty-train').click();
  const run = await p.waitFor(isType('runCommand'), 'runCommand');
  check('training: its button runs Train Transformer', run.command === 'train', run);
  await page.locator('#empty-settings').click();
  await p.waitFor(isType('openSettings'), 'openSettings');
  check('training: its second button opens the settings', true);
}

/** The two speeds say which is which; "Show as table" lists the 50 epochs as streamed. */
async function speedsAndTable({ check, fx }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  const speedLabel = (await page.locator('.stat:has(#stat-speed) dt').innerText()).toLowerCase();
  const speedTitle = (await page.locator('.stat:has(#stat-speed)').getAttribute('title')) ?? '';
  const summary = await page.locator('#summary').innerText();
  const summaryTitle = (await page.locator('#summary').getAttribute('title')) ?? '';
  check(
    'training: the stat’s tokens/s is the last epoch’s, the summary’s the whole training’s',
    /last epoch/.test(speedLabel) &&
      /latest epoch/.test(speedTitle) &&
      /tokens\/s over the whole training/.test(summary) &&
      /not counted/.test(summaryTitle),
    { speedLabel, summary },
  );
  await page.locator('#loss-show-table').click();
  check('training: as a table, no chart', (await p.rendered('loss table')) === 0);
  const rows = await page
    .locator('#loss-table tbody tr')
    .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent).join(' ')));
  const first = fx.epochs[0];
  check(
    'training: the loss table has a row per epoch with the curve’s numbers',
    rows.length === NUM_EPOCHS &&
      (rows[0] ?? '').startsWith(`1 ${first.lossPerToken.toFixed(4)}`) &&
      (await page.locator('#loss-table caption').innerText()).includes(`${NUM_EPOCHS} epochs`) &&
      (await page.locator('#loss-table thead th[scope="col"]').count()) === 4,
    rows.slice(0, 2),
  );
  await page.locator('#loss-show-table').click();
  check('training: and back to the chart', (await p.rendered('loss chart')) === 1);
}

/** Stopped: no new model; the notes say so (not that translations come when training ends). */
async function stoppedRun({ check, fx, shoot }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  const points = fx.epochs.slice(0, 12);
  const last = points[points.length - 1];
  await p.send({
    ...fx.trainingDone,
    status: 'cancelled',
    statusText: 'Stopped after 12 epochs; the previous model is kept',
    points,
    seeds: [],
    heldOut: null,
    summary: {
      epochsCompleted: 12,
      lossPerToken: last.lossPerToken,
      tokensPerSecond: last.tokensPerSecond,
      seconds: last.elapsedSeconds,
      cancelled: true,
    },
  });
  await p.rendered('stopped');
  const seeds = await page.locator('#seeds-note').innerText();
  const heldOut = await page.locator('#held-out-note').innerText();
  check(
    'training: after Stop, the seed note says no new model was saved, the previous one stays',
    /stopped/.test(seeds) &&
      /no new model/.test(seeds) &&
      /previous model/.test(seeds) &&
      !/appear when training ends/.test(seeds) &&
      /stopped/.test(heldOut),
    { seeds, heldOut },
  );
  check(
    'training: the summary says it stopped',
    /^Stopped after 12 epochs/.test(await page.locator('#summary').innerText()),
  );
  await shoot(p, 'training-stopped-light');
}
