/**
 * The training panel (webview/training/): the empty state before any run, a run starts, 50
 * epochs stream in (appended to one chart, never re-embedded), progress inside an epoch and
 * through the held-out pairs, the loss tooltip, Cancel and Open settings, the final state's
 * tables, its speeds and the loss as a table, themes with both high contrasts, the state kept
 * across a reload, and a stopped run (trainingStates.flow.ts).
 */
import { DEFAULT_HYPERPARAMETERS } from '../../../src/config/hyperparameters';
import { setTheme } from '../browser';
import { NUM_EPOCHS } from '../fixtures';
import { highContrastChecks } from '../a11y';
import { FlowContext, runSteps } from '../flow';
import { isType, PanelPage } from '../panelPage';
import { THEMES } from '../themes';
import { afterFinish, afterStop, idleFirst } from './trainingStates.flow';

const SYMBOLS = '#loss-chart svg g.mark-symbol path';

export const trainingFlow = (ctx: FlowContext): Promise<void> =>
  runSteps(ctx, 'training', [
    ...idleFirst,
    startAndSettings,
    streamEpochs,
    heldOutProgress,
    finalState,
    ...afterFinish,
    themesAndReload,
    highContrastChecks(true),
    ...afterStop,
  ]);

/** A run starts: no chart until an epoch ends; Cancel enabled; Open settings. */
async function startAndSettings({ check, fx }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  await p.send(fx.trainingStart);
  check('training: no points yet → no chart, a note', (await p.rendered()) === 0);
  check('training: Cancel enabled while training', await page.locator('#cancel').isEnabled());
  await page.locator('#settings').click();
  await p.waitFor(isType('openSettings'), 'openSettings');
  check('training: Open settings posts openSettings', true);
}

/** The epochs: the first embeds the chart, the others are appended to its view. */
async function streamEpochs({ check, fx, timings }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  const t0 = Date.now();
  await p.send({ type: 'trainingEpoch', point: fx.epochs[0] });
  check('training: first epoch embeds the chart', (await p.rendered('first epoch')) === 1);
  // Mark the chart's <svg>: the other epochs must be appended to this view, not re-embedded.
  await page.evaluate(
    `document.querySelector('#loss-chart svg').setAttribute('data-harness', 'v1')`,
  );
  for (const point of fx.epochs.slice(1, -1)) await p.send({ type: 'trainingEpoch', point });
  // Progress inside the last epoch, before its report: text and bars only, no re-render.
  await p.send({
    type: 'trainingBatch',
    progress: {
      phase: 'train',
      epoch: NUM_EPOCHS,
      numEpochs: NUM_EPOCHS,
      done: 812,
      total: 2612,
      elapsedSeconds: 30,
    },
  });
  await page.locator('#batch-progress').waitFor({ state: 'visible', timeout: 5_000 });
  const batchText = (await page.locator('#batch-text').textContent()) ?? '';
  check('training: batch progress inside the epoch', /812\s*\/\s*2,612/.test(batchText), batchText);
  await p.send({ type: 'trainingEpoch', point: fx.epochs[NUM_EPOCHS - 1] });
  await page.waitForFunction(
    `document.querySelectorAll('${SYMBOLS}').length >= ${NUM_EPOCHS}`,
    undefined,
    { timeout: 20_000 },
  );
  timings.stream50EpochsMs = Date.now() - t0;
  const symbols = page.locator(SYMBOLS);
  check(`training: ${NUM_EPOCHS} streamed points drawn`, (await symbols.count()) === NUM_EPOCHS);
  check(
    'training: points appended to the same view (no re-embed)',
    (await page.locator('#loss-chart svg[data-harness="v1"]').count()) === 1,
  );
}

/** Then the held-out evaluation's progress (the run's bar stays full), and the loss tooltip. */
async function heldOutProgress({ check, shoot }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  await p.send({
    type: 'trainingBatch',
    progress: {
      phase: 'heldOut',
      epoch: NUM_EPOCHS,
      numEpochs: NUM_EPOCHS,
      done: 230,
      total: 1000,
      elapsedSeconds: 40,
    },
  });
  await page.locator('#batch-text', { hasText: /230\s*\/\s*1,000/ }).waitFor({ timeout: 5_000 });
  const heldOutText = (await page.locator('#batch-text').textContent()) ?? '';
  check('training: held-out evaluation progress', /held-out/i.test(heldOutText), heldOutText);
  // Three full renders: the idle state (trainingStates.flow.ts), the run's start, its first epoch.
  const renders = (await p.posted()).filter((m) => m.type === 'rendered').length;
  check('training: later epochs and batches do not trigger full renders', renders === 3, renders);
  check(
    'training: epoch counter',
    (await page.locator('#stat-epoch').textContent()) === `${NUM_EPOCHS} / ${NUM_EPOCHS}`,
  );
  check(
    'training: progress bar full',
    Number(
      await page.locator('#progress').evaluate((el) => (el as unknown as { value: number }).value),
    ) === 1,
  );
  await page
    .locator(SYMBOLS)
    .nth(NUM_EPOCHS - 1)
    .hover();
  const tip = page.locator('#vg-tooltip-element.visible');
  await tip.waitFor({ timeout: 5000 });
  const tipText = (await tip.textContent()) ?? '';
  check('training: loss tooltip', /loss\/token/.test(tipText) && /epoch/.test(tipText), tipText);
  await page.mouse.move(1, 1);
  await shoot(p, 'training-live-light');
}

/** Cancel, then the finished run: seeds, held-out scores, hyperparameters, the same points. */
async function finalState({ check, fx, shoot }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  await page.locator('#cancel').click();
  await p.waitFor(isType('cancelTraining'), 'cancelTraining');
  check('training: Cancel posts cancelTraining', true);

  await p.send(fx.trainingDone);
  check('training: final state renders 1 chart', (await p.rendered()) === 1);
  check('training: seeds table', (await page.locator('#seeds tbody tr').count()) === 4);
  check('training: <unk> flagged in seeds', (await page.locator('#seeds mark.unk').count()) === 1);
  check(
    'training: held-out BLEU shown',
    (await page.locator('#held-out-bleu4').textContent()) === '0.187',
  );
  check('training: Cancel disabled when finished', await page.locator('#cancel').isDisabled());
  check(
    'training: hyperparameters table',
    // One row per hyperparameter (DEFAULT_HYPERPARAMETERS), attentionFunction included.
    (await page.locator('#hyperparameters tr').count()) ===
      Object.keys(DEFAULT_HYPERPARAMETERS).length,
  );
  const symbols = page.locator(SYMBOLS);
  check(
    'training: full render keeps the points',
    (await symbols.count()) === NUM_EPOCHS,
    await symbols.count(),
  );
  await shoot(p, 'training-light');
}

/** Dark and high-contrast themes re-render; a reload draws from the kept state. */
async function themesAndReload({ check, shoot }: FlowContext, p: PanelPage): Promise<void> {
  const { page } = p;
  await setTheme(page, THEMES.dark);
  check('training: re-renders on theme change', (await p.rendered('dark theme')) === 1);
  const bg = await page.evaluate(
    `getComputedStyle(document.body).backgroundColor + ' ' + document.querySelector('#loss-chart svg rect.background')?.getAttribute('style')`,
  );
  await shoot(p, 'training-dark');
  check('training: dark background applied', String(bg).startsWith('rgb(31, 31, 31)'), bg);
  await setTheme(page, THEMES['high-contrast']);
  await p.rendered('high contrast theme');
  await shoot(p, 'training-hc');

  // A hidden and re-shown panel reloads: it draws from getState before the host answers.
  await p.reload();
  await p.waitFor(isType('ready'), 'ready after reload');
  await p.rendered('restored');
  check(
    'training: restored from setState after reload',
    (await page.locator(SYMBOLS).count()) === NUM_EPOCHS &&
      (await page.locator('#seeds tbody tr').count()) === 4,
  );
}
