// End to end, as a person uses the extension: Playwright drives the code-server workbench in
// Chromium. F1 → "Transformer: Train Transformer" and watch the loss chart fill; type a sentence,
// select it, "Translate Selection" from the editor's context menu and read the translation panel;
// open the attention panel, count its heatmaps and read a tooltip; switch to a dark and a light
// theme; reload. Then the chapter's exercises as a user does them: numLayers 4 typed into
// settings.json, retrain from the stale-model notification, Compare Runs (two runs in the table,
// their curves, the attention of both for one sentence); then additive attention with beam
// search, a third run, and a translation that lists the beam's candidates.
// Fails on any CSP violation, or console error from a webview. Screenshots of each step
// go to .cache/screenshots/e2e-*.png (paths printed); those of the four panels, the Runs view and
// the themes are also copied into docs/images/ for the README (--no-docs-images: not copied).
//
// Usage: node test/e2e/workbench.e2e.mjs [--vsix FILE] [--full]
//   --vsix FILE  install the packaged extension (npm run package) into the fresh profile with
//                code-server --install-extension, as users get it, instead of loading the
//                source tree; npm test runs the journey this way
//   --full       the book's default settings (200 epochs: minutes) and exact translations;
//                default: a small configuration that trains in seconds.
// Logs the extension's activation time and the time from the Train command to the first epoch
// on the loss chart (docs/performance.md).
// Needs: npm run build, bash scripts/vscode/setup.sh.
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  freshRunDir,
  installExtension,
  repoRoot,
  startCodeServer,
} from '../../scripts/vscode/codeServer.mjs';
import {
  launchBrowser,
  openWorkbench,
  runCommand,
  screenshot,
  waitForTab,
} from '../vscode/drive.mjs';
import { scoreHeadImportance } from './headsStep.mjs';
import { keyboardOnHeatmaps } from './keyboardStep.mjs';

const log = (...args) => console.log('[e2e]', ...args);
const argv = process.argv.slice(2);
const vsix = argv.includes('--vsix') ? resolve(argv[argv.indexOf('--vsix') + 1]) : undefined;
const full = argv.includes('--full');
const corpus = resolve(repoRoot, '..', 'shared', 'data', 'fra-eng', 'fra.txt');
if (!existsSync(corpus)) throw new Error(`The corpus is missing: ${corpus}`);

const SMALL = {
  'transformer.numHiddens': 16,
  'transformer.ffnNumHiddens': 32,
  'transformer.numExamples': 100,
  'transformer.numEpochs': 15,
  'transformer.batchSize': 32,
  'transformer.heldOutCount': 20,
  'transformer.snapshotEvery': 5,
};
const settings = {
  'transformer.corpusPath': corpus,
  'transformer.backend': 'wasm',
  'workbench.colorTheme': 'Default Light Modern',
  ...(full ? {} : SMALL),
};

const runDir = freshRunDir('e2e');
const userDataDir = join(runDir, 'user-data');
let server;
let browser;
const shots = [];
const stopAll = async () => {
  await browser?.close().catch(() => {});
  await server?.stop();
};
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => void stopAll().then(() => process.exit(130)));
}

/** The frame (of the nested webview iframes) that shows `selector`, waiting for it. */
async function frameWith(page, selector, timeoutMs = 60_000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    for (const frame of page.frames()) {
      if (
        (await frame
          .locator(selector)
          .count()
          .catch(() => 0)) > 0
      )
        return frame;
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`No webview shows ${selector} after ${timeoutMs} ms`);
}

/** Opens the attention panel and waits until it shows `expected` heatmaps. */
async function countHeatmaps(page, expected) {
  await runCommand(page, 'Transformer: Open Attention Panel');
  await waitForTab(page, 'Transformer: Attention');
  const frame = await frameWith(page, 'figure.heatmap');
  await frame.waitForFunction(
    (n) => document.querySelectorAll('#sections figure.heatmap svg').length >= n,
    expected,
    { timeout: 60_000 },
  );
  // The attention heatmaps (the rollout map below them is counted on its own).
  const count = await frame.locator('#sections figure.heatmap').count();
  if (count !== expected) throw new Error(`Expected ${expected} heatmaps, found ${count}`);
  return frame;
}

/**
 * Selects all text of a new untitled editor holding `text`, runs Translate Selection and returns
 * the text of the translations panel once it shows `expect` (a selector; default: an item for
 * `text`). After a reload the workbench may hold a stale, unrevived panel frame as well, so
 * the frame is chosen by what it shows.
 */
async function translateViaContextMenu(page, text, expect) {
  await runCommand(page, 'File: New Untitled Text File');
  // The new editor has the focus (other editors may be open beside it after a reload).
  const editor = page.locator('.monaco-editor.focused .view-lines').first();
  await editor.waitFor();
  await page.keyboard.type(text);
  await page.keyboard.press('Control+A');
  await editor.click({ button: 'right' });
  // VS Code's menu acts on the item under the pointer when Enter is pressed; a synthetic
  // click on the shadow-DOM menu does not always reach its handler.
  const item = page.getByRole('menuitem', { name: 'Translate Selection' }).first();
  await item.hover({ timeout: 15_000 });
  await page.keyboard.press('Enter');
  await waitForTab(page, 'Transformer: Translations');
  const frame = await frameWith(
    page,
    expect ?? `.translation[data-id]:has-text(${JSON.stringify(text)})`,
  );
  return frame.locator('body').innerText();
}

/**
 * Replaces the user settings through the settings.json editor (what a user edits), saves, and
 * closes it. insertText: typed keys would get Monaco's auto-closed quotes and brackets.
 */
async function editSettingsJson(page, values) {
  await runCommand(page, 'Preferences: Open User Settings (JSON)');
  await waitForTab(page, 'settings.json');
  const editor = page.locator('.monaco-editor.focused .view-lines').first();
  await editor.waitFor();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(JSON.stringify({ ...settings, ...values }, null, 2));
  await page.keyboard.press('Control+S');
  await page.waitForTimeout(1_000);
  await runCommand(page, 'View: Close Editor');
}

/**
 * Retrains from the stale-model notification's button: on its toast, or in the notification
 * centre when the toast is not showing (F1 → Train Transformer when neither has it).
 */
async function retrainFromNotification(page) {
  const button = (where) =>
    page.locator(`${where} .monaco-button`, { hasText: 'Train Transformer' }).first();
  try {
    await button('.notifications-toasts').waitFor({ timeout: 10_000 });
    await button('.notifications-toasts').click();
    log('retrained from the stale-model toast');
    return;
  } catch {
    // Toasts are not always shown (the workbench may route them to the centre).
  }
  try {
    await runCommand(page, 'Notifications: Show Notifications');
    await button('.notifications-center').waitFor({ timeout: 10_000 });
    const text = await page.locator('.notifications-center').innerText();
    if (!/no longer matches the settings/.test(text)) throw new Error(text);
    await button('.notifications-center').click();
    log('retrained from the stale-model notification in the notification centre');
    await page.keyboard.press('Escape');
  } catch (err) {
    log(`no stale-model notification (${String(err).slice(0, 200)}): Train from F1`);
    await shot(page, 'no-stale-notification');
    await runCommand(page, 'Transformer: Train Transformer');
  }
}

/** Opens Compare Runs and waits until its table lists `n` runs (a run is listed when it ends). */
async function compareRunsWith(page, n, timeoutMs) {
  await runCommand(page, 'Transformer: Compare Runs');
  await waitForTab(page, 'Transformer: Compare Runs');
  const frame = await frameWith(page, '#runs-table');
  const rows = frame.locator('#runs-table tbody tr[data-run-id]');
  const listed = await countWhen(page, rows, (c) => c === n, timeoutMs);
  if (listed !== n) throw new Error(`Compare Runs lists ${listed} runs, not ${n}`);
  return frame;
}

/** Polls how many elements `locator` matches until `ok(count)` or the timeout; the last count. */
async function countWhen(page, locator, ok, timeoutMs) {
  const end = Date.now() + timeoutMs;
  let count = await locator.count();
  while (!ok(count) && Date.now() < end) {
    await page.waitForTimeout(300);
    count = await locator.count();
  }
  return count;
}

async function step(name, fn) {
  const t = Date.now();
  log(`${name}…`);
  const result = await fn();
  log(`${name}: done in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  return result;
}

const docsImages = argv.includes('--no-docs-images') ? null : join(repoRoot, 'docs', 'images');

/** A screenshot of the workbench; `readmeName`: also docs/images/<readmeName>.png (the README's). */
async function shot(page, name, readmeName) {
  const file = await screenshot(page, `e2e-${name}`);
  shots.push(file);
  log(`screenshot ${file}`);
  if (readmeName && docsImages) {
    mkdirSync(docsImages, { recursive: true });
    copyFileSync(file, join(docsImages, `${readmeName}.png`));
  }
}

/** The extension's folder in the profile after --install-extension; fails if it is not there. */
function installedExtension() {
  const { publisher, name, version } = JSON.parse(
    readFileSync(join(repoRoot, 'package.json'), 'utf8'),
  );
  const dir = join(userDataDir, 'extensions', `${publisher}.${name}-${version}`);
  for (const f of ['package.json', 'dist/extension.js', 'dist/trainingWorker.js']) {
    if (!existsSync(join(dir, f))) throw new Error(`The .vsix did not install ${f} into ${dir}`);
  }
  return dir;
}

/**
 * The extension's activation time as VS Code measures it (loading its code plus activate()),
 * read from Developer: Show Running Extensions; undefined (and said why) if it cannot be read.
 */
async function activationMs(page) {
  try {
    await runCommand(page, 'Developer: Show Running Extensions');
    const row = page.locator('.runtime-extensions-editor .extension', {
      hasText: 'Transformer Attention Explorer',
    });
    const time = row.first().locator('.activation-time');
    await time.filter({ hasText: /\d+ms/ }).waitFor({ timeout: 30_000 });
    const text = await time.innerText();
    await runCommand(page, 'View: Close Editor');
    return Number(/(\d+)ms/.exec(text)[1]);
  } catch (err) {
    log(`activation time not read: ${String(err).split('\n')[0]}`);
    return undefined;
  }
}

const timings = {};

let failed = null;
let page;
try {
  if (vsix) {
    log(await installExtension(vsix, { userDataDir }));
    log(`installed from ${vsix} into ${installedExtension()}`);
  }
  server = await startCodeServer({ userDataDir, workspace: join(runDir, 'workspace'), settings });
  browser = await launchBrowser(join(runDir, 'chromium'));
  const payload = vsix ? undefined : [['extensionDevelopmentPath', server.remoteUri(repoRoot)]];
  const opened = await openWorkbench(browser, server.folderUrl(payload));
  page = opened.page;
  const problems = opened.problems;
  await page.setViewportSize({ width: 1600, height: 1000 });

  await step('Train Transformer from F1, the loss chart shows points', async () => {
    await runCommand(page, 'Transformer: Train Transformer');
    const trainAt = Date.now();
    await waitForTab(page, 'Transformer: Training');
    const frame = await frameWith(page, '#loss-chart');
    await frame.waitForFunction(
      () => document.querySelectorAll('.mark-symbol path, .mark-line path').length > 0,
      null,
      { timeout: 120_000 },
    );
    timings.trainToFirstEpochMs = Date.now() - trainAt;
    await shot(page, '1-training-live');
    await frame
      .getByText(/Finished/)
      .first()
      .waitFor({ timeout: full ? 900_000 : 300_000 });
    await page.waitForTimeout(1_000);
    await shot(page, '2-training-finished', 'training');
    timings.activationMs = await activationMs(page);
    log(`timings (${vsix ? 'installed .vsix' : 'source tree'}): ${JSON.stringify(timings)}`);
  });

  await step('Score Head Importance: grids per kind, the pruning curve, the table', async () => {
    const h = settings['transformer.numHeads'] ?? 4;
    const l = settings['transformer.numLayers'] ?? 2;
    const { note } = await scoreHeadImportance(page, frameWith, h * l);
    log(`heads panel says: ${JSON.stringify(note)}`);
    await shot(page, '4b-heads');
  });

  const translation = await step('Translate Selection from the context menu', async () => {
    const text = await translateViaContextMenu(page, "i'm home .");
    if (!/je suis chez moi/.test(text) && full)
      throw new Error(`Expected "je suis chez moi ." in:\n${text}`);
    if (!/BLEU/.test(text)) throw new Error(`No BLEU shown in the translation panel:\n${text}`);
    await shot(page, '3-translation', 'translations');
    return text;
  });
  log(`translation panel says: ${JSON.stringify(translation.slice(0, 200))}`);

  await step('Attention panel: 24 heatmaps, a tooltip on hover', async () => {
    const frame = await countHeatmaps(page, 24);
    const labels = await frame.locator('figure.heatmap').first().locator('text').allTextContents();
    if (!labels.some((l) => /^0 /.test(l)))
      throw new Error(`No position-prefixed token labels: ${labels}`);
    // Query 0 attends to key 0 in every encoder map (key 0 is never padding).
    const cell = frame.locator('figure.heatmap').first().locator('.mark-rect path').first();
    await cell.hover({ force: true });
    const tooltip = frame.locator('#vg-tooltip-element');
    await tooltip.waitFor({ state: 'visible', timeout: 10_000 });
    const tip = await tooltip.innerText();
    if (!/weight/i.test(tip)) throw new Error(`Tooltip without a weight: ${tip}`);
    log(`tooltip: ${JSON.stringify(tip)}`);
    // Issue 13 item 4: the rollout map, and the heads scored above give the statistics table
    // its held-out averages (the host sends the current run's head report to this panel).
    await frame.locator('#rollout figure.heatmap svg').waitFor({ timeout: 10_000 });
    await frame.locator('#stats-table .stat-held-out').first().waitFor({ timeout: 10_000 });
    log(`per-head statistics rows: ${await frame.locator('#stats-table tbody tr').count()}`);
    await shot(page, '4-attention-light', 'attention');
  });

  await step(
    'Keyboard only: Tab to a heatmap, arrows over cells, Enter pins, Escape unpins',
    async () => {
      const frame = await frameWith(page, 'figure.heatmap');
      log(`live region: ${JSON.stringify(await keyboardOnHeatmaps(page, frame))}`);
    },
  );

  await step('Switch heads off: the sentence is translated again without them', async () => {
    const frame = await frameWith(page, 'figure.heatmap');
    // One head off may change nothing in a small model: the encoder–decoder heads go off one
    // by one until the translation changes (with all of them off the decoder is blind).
    const toggles = frame.locator('.figure-tools[data-kind="encoderDecoder"] .head-toggle');
    const n = await toggles.count();
    let changed = null;
    for (let i = 0; i < n && !changed; i++) {
      await toggles.nth(i).click();
      await frame
        .locator('#masked-translation, #masked-error')
        .first()
        .waitFor({ timeout: 120_000 });
      if (await frame.locator('#masked-error').count())
        throw new Error(await frame.locator('#masked-error').innerText());
      const text = await frame.locator('#masked-translation').innerText();
      const timing = await frame.locator('#masked-timing').innerText();
      log(`${i + 1} encoder-decoder head(s) off: ${JSON.stringify(text)} (${timing})`);
      const original = await frame.locator('#masked-original .sentence').innerText();
      if (text.trim() !== original.trim()) changed = text;
    }
    if (!changed) throw new Error(`The translation did not change with ${n} heads off`);
    await shot(page, '4b-heads-off');
    await frame.locator('#reset-heads').click();
    await frame.locator('#masked').waitFor({ state: 'hidden', timeout: 10_000 });
  });

  for (const theme of [
    'Dark Modern',
    'Dark High Contrast',
    'Light High Contrast',
    'Light Modern',
  ]) {
    await step(`Colour theme ${theme}`, async () => {
      await runCommand(page, 'Preferences: Color Theme');
      const input = page.locator('.quick-input-widget .quick-input-box input');
      await input.fill(theme);
      await page
        .locator('.quick-input-list .monaco-list-row', { hasText: theme })
        .first()
        .waitFor();
      await page.keyboard.press('Enter');
      await page.waitForTimeout(2_000);
      const slug = theme
        .toLowerCase()
        .replace(/ modern$/, '')
        .replace(/ /g, '-');
      // Light Modern is the theme of the README's main screenshot (attention.png) already.
      await shot(page, `5-attention-${slug}`, slug === 'light' ? undefined : `attention-${slug}`);
    });
  }

  await step('Narrow window (1000 × 700): the attention panel keeps its column', async () => {
    await page.setViewportSize({ width: 1000, height: 700 });
    await page.waitForTimeout(1_500);
    await shot(page, '5-attention-narrow', 'attention-narrow');
    await page.setViewportSize({ width: 1600, height: 1000 });
  });

  await step(
    'Reload the window: the model, the translations and the status bar come back',
    async () => {
      const reloadAt = Date.now();
      await runCommand(page, 'Developer: Reload Window');
      await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 120_000 });
      // The status bar names the current model again (activation on startup, not on a panel).
      const item = page.locator('.statusbar-item', { hasText: /Transformer: Run 1/ });
      await item.first().waitFor({ timeout: 60_000 });
      timings.statusBarAfterReloadMs = Date.now() - reloadAt;
      const text = await translateViaContextMenu(page, 'go .');
      if (!/BLEU/.test(text)) throw new Error(`No translation after the reload:\n${text}`);
      // The translation from before the reload is still in the panel's history.
      if (!/i'm home/i.test(text)) throw new Error(`The history was lost in the reload:\n${text}`);
      await shot(page, '6-after-reload');
      log(`timings after the reload: ${JSON.stringify(timings)}`);
    },
  );

  const trainTimeout = full ? 900_000 : 300_000;
  await step('Exercise 1: numLayers 4 in settings.json, retrain, Compare Runs', async () => {
    await editSettingsJson(page, { 'transformer.numLayers': 4 });
    await retrainFromNotification(page);
    const frame = await compareRunsWith(page, 2, trainTimeout);
    const table = await frame.locator('#runs-table').innerText();
    if (!/Run 2/.test(table) || !/Run 1/.test(table)) throw new Error(`Runs table:\n${table}`);
    const layers = await frame
      .locator('#runs-table tbody tr[data-run-id] td[data-column="layers"]')
      .allInnerTexts();
    if (layers.join(',') !== '4,2') throw new Error(`Layers column: ${layers}`);
    await frame.locator('#curves-chart svg').waitFor({ timeout: 30_000 });
    // Attention of both runs for one sentence: 4×4 + 2×4 heatmaps.
    await frame.locator('#compare-sentence').fill("i'm home .");
    await frame.locator('#compare').click();
    const figures = frame.locator('#compare-sides figure.heatmap svg');
    await countWhen(page, figures, (c) => c >= 24, 60_000);
    const count = await frame.locator('#compare-sides figure.heatmap').count();
    if (count !== 24) throw new Error(`Expected 16 + 8 compared heatmaps, found ${count}`);
    await shot(page, '7-compare-runs');
  });

  await step('Exercise 2: additive attention with beam search, a third run', async () => {
    await editSettingsJson(page, {
      'transformer.numLayers': 2,
      'transformer.attentionFunction': 'additive',
      'transformer.decoding': 'beam',
      'transformer.beamSize': 3,
    });
    await retrainFromNotification(page);
    const frame = await compareRunsWith(page, 3, trainTimeout);
    const attention = await frame
      .locator('#runs-table tbody tr[data-run-id] td[data-column="attention"]')
      .allInnerTexts();
    if (!/additive/.test(attention[0])) throw new Error(`Attention column: ${attention}`);
    await shot(page, '8-compare-three-runs');
    const text = await translateViaContextMenu(page, "i'm home .", '.candidates-box');
    if (!/beam candidate/.test(text)) throw new Error(`No beam candidates listed:\n${text}`);
    await shot(page, '9-beam-candidates');
    await countHeatmaps(page, 24);
  });

  await step(
    'Compare Runs: make Run 1 current, delete Run 2 (confirmed in the dialog)',
    async () => {
      const frame = await compareRunsWith(page, 3, 30_000);
      const row = (n) =>
        frame.locator('#runs-table tbody tr[data-run-id]', { hasText: `Run ${n}` });
      await row(1).locator('button.make-current').click();
      await row(1).locator('.badge', { hasText: 'current' }).waitFor({ timeout: 30_000 });
      await row(2).locator('button.delete-run').click();
      const confirm = page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Delete' });
      await confirm.first().waitFor({ timeout: 15_000 });
      await confirm.first().click();
      const rows = frame.locator('#runs-table tbody tr[data-run-id]');
      await countWhen(page, rows, (c) => c === 2, 30_000);
      const left = await rows.allInnerTexts();
      if (left.length !== 2 || left.some((t) => /Run 2\b/.test(t)))
        throw new Error(`After deleting Run 2: ${JSON.stringify(left)}`);
      await shot(page, '10-compare-after-delete', 'compare');
    },
  );

  await step(
    'The Runs view in the activity bar: the two runs left, the current one marked',
    async () => {
      await page.locator('.activitybar .action-item a[aria-label^="Transformer"]').first().click();
      const rows = page.locator('.pane', { hasText: 'Runs' }).locator('.monaco-list-row');
      await countWhen(page, rows, (c) => c === 2, 30_000);
      const texts = await rows.allInnerTexts();
      if (!texts.some((t) => /Run 1\b[\s\S]*current/.test(t)))
        throw new Error(`Run 1 is not marked current in the Runs view: ${JSON.stringify(texts)}`);
      await shot(page, '11-runs-view', 'runs-view');
    },
  );

  await step('One tab per panel, also after the reload', async () => {
    for (const title of ['Training', 'Translations', 'Attention', 'Compare Runs']) {
      const tabs = await page.locator('.tabs-container .tab .label-name').allInnerTexts();
      const n = tabs.filter((t) => t.trim() === `Transformer: ${title}`).length;
      if (n !== 1) throw new Error(`${n} tabs titled "Transformer: ${title}" in ${tabs}`);
    }
  });

  const webviewErrors = problems.consoleErrors.filter((e) => e.fromWebview);
  if (problems.cspViolations.length || webviewErrors.length || problems.pageErrors.length) {
    throw new Error(
      `Problems in the page: ${JSON.stringify(
        { csp: problems.cspViolations, webview: webviewErrors, page: problems.pageErrors },
        null,
        1,
      )}`,
    );
  }
  log('no CSP violations, no webview console errors');
} catch (err) {
  failed = err;
  if (page) await shot(page, 'failure').catch(() => {});
} finally {
  await stopAll();
}
log(`screenshots:\n  ${shots.join('\n  ')}`);
if (failed) {
  console.error(`[e2e] FAILED: ${failed.stack ?? failed}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
console.log('1 passed, 0 failed');
