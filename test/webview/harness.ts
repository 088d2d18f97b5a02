/**
 * Browser harness for the four webview panels, before VS Code is in the loop.
 *
 *   npx tsx test/webview/harness.ts [--no-build] [--bench] [--no-screenshots]
 *
 * Builds the bundles, serves media/ and one page per panel made by the SAME shell function and
 * CSP as the extension (src/panels/webviewHtml.ts) on 127.0.0.1:0, with a nonce'd stub of
 * acquireVsCodeApi that records what the page posts and keeps its state in sessionStorage (so a
 * reload behaves like a hidden and re-shown panel). Drives Debian's Chromium with playwright-core:
 * sends realistic host messages (attention maps of a real Transformer with random weights),
 * streams 50 epochs, hovers for tooltips, exports, sorts and compares runs (Compare Runs),
 * switches themes, takes screenshots into .cache/screenshots/, and fails (exit code 1) on any
 * failed check, console error, page error or Content Security Policy violation.
 */
import { DEFAULT_HYPERPARAMETERS } from '../../src/config/hyperparameters';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { PANEL_ASSETS, PANEL_TITLES } from '../../src/panels/viewTypes';
import { createNonce, webviewHtml } from '../../src/panels/webviewHtml';
import type { HostToWebview, PanelKind, WebviewToHost } from '../../src/shared/protocol';
import { parseWebviewMessage } from '../../src/shared/validate';
import { Fixtures, HISTORY_LIMIT, makeFixtures, NUM_EPOCHS, RUN_IDS } from './fixtures';
import { HarnessTheme, THEMES } from './themes';

const ROOT = path.resolve(__dirname, '../..');
const MEDIA = path.join(ROOT, 'media');
export const SCREENSHOT_DIR = path.join(ROOT, '.cache', 'screenshots');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const VIEWPORT = { width: 1000, height: 900 };

export interface HarnessOptions {
  build?: boolean;
  screenshots?: boolean;
  bench?: boolean;
  log?: (line: string) => void;
}

export interface HarnessResult {
  passed: string[];
  failures: string[];
  timings: Record<string, number>;
  screenshots: string[];
  bench?: Record<string, number>;
}

// ------------------------------------------------------------------ the page's stubs

/** The stand-in for VS Code's acquireVsCodeApi, loaded as the first nonce'd script. */
const STUB = `(() => {
  const h = (window.__harness = { posted: [], acquired: 0 });
  window.acquireVsCodeApi = function () {
    if (h.acquired++) throw new Error('An instance of the VS Code API has already been acquired');
    return Object.freeze({
      postMessage(m) { h.posted.push(JSON.parse(JSON.stringify(m))); },
      getState() { const s = sessionStorage.getItem('vscode-state'); return s ? JSON.parse(s) : undefined; },
      setState(s) { sessionStorage.setItem('vscode-state', JSON.stringify(s)); return s; },
    });
  };
})();`;

/** Runs before any page script: records CSP violations and applies a theme as VS Code does
 * (variables on <html> through the CSSOM, a class on <body>). */
function initScript(theme: HarnessTheme): string {
  return `(() => {
  window.__csp = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__csp.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample });
  });
  const vars = ${JSON.stringify(theme.vars)};
  const bodyClass = ${JSON.stringify(theme.bodyClass)};
  let varsDone = false, classDone = false;
  const apply = () => {
    if (!varsDone && document.documentElement) {
      for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(k, v);
      varsDone = true;
    }
    if (!classDone && document.body) {
      document.body.classList.add(bodyClass);
      document.body.setAttribute('data-vscode-theme-kind', bodyClass);
      classDone = true;
    }
    return varsDone && classDone;
  };
  if (!apply()) {
    const mo = new MutationObserver(() => { if (apply()) mo.disconnect(); });
    mo.observe(document, { childList: true, subtree: true });
  }
})();`;
}

/** Switches theme in a live page the way VS Code does. */
async function setTheme(page: Page, theme: HarnessTheme): Promise<void> {
  await page.evaluate(`(() => {
    const root = document.documentElement;
    for (const name of [...root.style]) if (name.startsWith('--vscode-')) root.style.removeProperty(name);
    for (const [k, v] of Object.entries(${JSON.stringify(theme.vars)})) root.style.setProperty(k, v);
    document.body.classList.remove('vscode-light', 'vscode-dark', 'vscode-high-contrast', 'vscode-high-contrast-light');
    document.body.classList.add(${JSON.stringify(theme.bodyClass)});
    document.body.setAttribute('data-vscode-theme-kind', ${JSON.stringify(theme.bodyClass)});
  })()`);
}

// ------------------------------------------------------------------ server

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.html': 'text/html; charset=utf-8',
  '.png': 'image/png',
};

interface Server {
  origin: string;
  close(): Promise<void>;
}

function pageHtml(kind: PanelKind | 'bench', origin: string): string {
  const assets =
    kind === 'bench' ? { script: '', styles: PANEL_ASSETS.attention.styles } : PANEL_ASSETS[kind];
  return webviewHtml({
    panel: kind === 'bench' ? 'attention' : kind,
    title: kind === 'bench' ? 'bench' : PANEL_TITLES[kind],
    cspSource: origin,
    nonce: createNonce(),
    scripts: [
      `${origin}/harness/stub.js`,
      kind === 'bench' ? `${origin}/harness/bench.js` : `${origin}/media/${assets.script}`,
    ],
    styles: assets.styles.map((s) => `${origin}/media/${s}`),
  });
}

async function startServer(benchJs: string | null): Promise<Server> {
  let origin = '';
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    const send = (status: number, type: string, body: string | Buffer): void => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    const panel = /^\/panel\/(training|translation|attention|compare|bench)\.html$/.exec(
      url.pathname,
    );
    if (panel) return send(200, TYPES['.html'], pageHtml(panel[1] as PanelKind, origin));
    if (url.pathname === '/favicon.ico') return send(204, 'text/plain', '');
    if (url.pathname === '/harness/stub.js') return send(200, TYPES['.js'], STUB);
    if (url.pathname === '/harness/bench.js' && benchJs) return send(200, TYPES['.js'], benchJs);
    if (url.pathname.startsWith('/media/')) {
      const file = path.normalize(path.join(MEDIA, decodeURIComponent(url.pathname.slice(7))));
      if (file.startsWith(MEDIA + path.sep) && existsSync(file)) {
        return send(
          200,
          TYPES[path.extname(file)] ?? 'application/octet-stream',
          readFileSync(file),
        );
      }
    }
    send(404, 'text/plain', 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// ------------------------------------------------------------------ a panel page

interface ConsoleEntry {
  type: string;
  text: string;
}

class PanelPage {
  readonly consoleEntries: ConsoleEntry[] = [];
  readonly pageErrors: string[] = [];
  /** Console errors the test provoked on purpose (matched and removed before the final check). */
  readonly expectedErrors: RegExp[] = [];
  private seen = 0;

  constructor(
    readonly kind: PanelKind,
    readonly page: Page,
  ) {
    page.on('console', (m) => this.consoleEntries.push({ type: m.type(), text: m.text() }));
    page.on('pageerror', (e) => this.pageErrors.push(String(e)));
  }

  async posted(): Promise<WebviewToHost[]> {
    return (await this.page.evaluate('window.__harness.posted')) as WebviewToHost[];
  }

  /** Posts a host message; later waitFor calls look only at what the page posts after it. */
  async send(message: HostToWebview | Record<string, unknown>): Promise<void> {
    this.seen = (await this.posted()).length;
    await this.page.evaluate(
      (m) =>
        (globalThis as unknown as { postMessage(m: unknown, o: string): void }).postMessage(m, '*'),
      message,
    );
  }

  /** Waits for a posted message after the last one waited for (or after `from`). */
  async waitFor<T extends WebviewToHost>(
    predicate: (m: WebviewToHost) => m is T,
    what: string,
    timeoutMs = 20_000,
  ): Promise<T> {
    const start = Date.now();
    for (;;) {
      const all = await this.posted();
      for (let i = this.seen; i < all.length; i++) {
        if (predicate(all[i])) {
          this.seen = i + 1;
          return all[i] as T;
        }
      }
      if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
      await sleep(15);
    }
  }

  /** The chart count of the next `rendered`; with `expected`, waits for one with that count. */
  async rendered(what = 'rendered', expected?: number): Promise<number> {
    const m = await this.waitFor(
      (x): x is Extract<WebviewToHost, { type: 'rendered' }> =>
        x.type === 'rendered' &&
        x.panel === this.kind &&
        (expected === undefined || x.charts === expected),
      `${this.kind}: ${what}${expected === undefined ? '' : ` (${expected} charts)`}`,
    );
    return m.charts;
  }

  /** Reloads the page (what a hidden and re-shown panel does); its posted list starts over. */
  async reload(): Promise<void> {
    await this.page.reload();
    this.seen = 0;
  }

  async cspViolations(): Promise<unknown[]> {
    return (await this.page.evaluate('window.__csp')) as unknown[];
  }

  /** Console errors and warnings that were not expected, CSP reports included. */
  unexpectedConsole(): ConsoleEntry[] {
    return this.consoleEntries.filter(
      (e) =>
        (e.type === 'error' || e.type === 'warning' || /Content.Security.Policy/i.test(e.text)) &&
        !this.expectedErrors.some((re) => re.test(e.text)),
    );
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const isType =
  <K extends WebviewToHost['type']>(type: K) =>
  (m: WebviewToHost): m is Extract<WebviewToHost, { type: K }> =>
    m.type === type;

// ------------------------------------------------------------------ the run

export async function runHarness(options: HarnessOptions = {}): Promise<HarnessResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const result: HarnessResult = { passed: [], failures: [], timings: {}, screenshots: [] };
  const check = (name: string, ok: boolean, detail?: unknown): void => {
    if (ok) {
      result.passed.push(name);
      log(`  ok   ${name}`);
    } else {
      const text = `${name}${detail === undefined ? '' : `: ${JSON.stringify(detail).slice(0, 500)}`}`;
      result.failures.push(text);
      log(`  FAIL ${text}`);
    }
  };

  if (options.build !== false) {
    const t0 = Date.now();
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'pipe' });
    result.timings.buildMs = Date.now() - t0;
  }
  for (const kind of ['training', 'translation', 'attention', 'compare'] as const) {
    if (!existsSync(path.join(MEDIA, PANEL_ASSETS[kind].script))) {
      throw new Error(`media/${PANEL_ASSETS[kind].script} is missing: build first`);
    }
  }
  const t0 = Date.now();
  const fx = await makeFixtures();
  result.timings.fixturesMs = Date.now() - t0;

  const benchJs = options.bench ? buildBench() : null;
  const server = await startServer(benchJs);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const pages: PanelPage[] = [];

  const open = async (kind: PanelKind, theme: HarnessTheme): Promise<PanelPage> => {
    const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
    const page = await context.newPage();
    await page.addInitScript({ content: initScript(theme) });
    const p = new PanelPage(kind, page);
    pages.push(p);
    await page.goto(`${server.origin}/panel/${kind}.html`);
    await p.waitFor(
      (m): m is Extract<WebviewToHost, { type: 'ready' }> => m.type === 'ready' && m.panel === kind,
      `${kind}: ready`,
    );
    check(`${kind}: ready handshake`, true);
    return p;
  };
  const shoot = async (p: PanelPage, name: string): Promise<void> => {
    if (options.screenshots === false) return;
    const file = path.join(SCREENSHOT_DIR, `${name}.png`);
    await p.page.screenshot({ path: file, fullPage: true });
    result.screenshots.push(file);
  };
  const step = async (name: string, fn: () => Promise<void>): Promise<void> => {
    log(`${name}`);
    try {
      await fn();
    } catch (err) {
      check(`${name} (threw)`, false, err instanceof Error ? err.message : String(err));
    }
  };

  try {
    await step('training panel', () => trainingFlow(open, shoot, check, fx, result));
    await step('translation panel', () => translationFlow(open, shoot, check, fx));
    await step('attention panel', () => attentionFlow(open, shoot, check, fx, result));
    await step('compare panel', () => compareFlow(open, shoot, check, fx, result));
    await step('CSP detector self-check', async () => {
      // The same page and listeners must catch a violation, or "no CSP violations" means nothing.
      const probe = await open('translation', THEMES.light);
      await probe.page.evaluate(`(() => {
        const s = document.createElement('script');
        s.textContent = 'window.__inline = 1';
        document.body.append(s);
        const st = document.createElement('style');
        st.textContent = 'body { color: red }';
        document.head.append(st);
      })()`);
      await sleep(200);
      const seen = (await probe.cspViolations()) as { directive: string }[];
      check(
        'harness: CSP blocks and reports an inline script and an inline <style>',
        seen.some((v) => v.directive.startsWith('script-src')) &&
          seen.some((v) => v.directive.startsWith('style-src')) &&
          (await probe.page.evaluate('window.__inline')) === undefined,
        seen,
      );
      pages.splice(pages.indexOf(probe), 1);
      await probe.page.context().close();
    });
    if (benchJs) {
      await step('bench', async () => {
        result.bench = await runBench(browser, server.origin, fx);
      });
    }
    for (const p of pages) {
      check(`${p.kind}: no page errors`, p.pageErrors.length === 0, p.pageErrors);
      const csp = await p.cspViolations().catch(() => ['page closed']);
      check(`${p.kind}: no CSP violations`, csp.length === 0, csp);
      const bad = p.unexpectedConsole();
      check(`${p.kind}: no console errors or warnings`, bad.length === 0, bad);
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return result;
}

type Open = (kind: PanelKind, theme: HarnessTheme) => Promise<PanelPage>;
type Shoot = (p: PanelPage, name: string) => Promise<void>;
type Check = (name: string, ok: boolean, detail?: unknown) => void;

async function trainingFlow(
  open: Open,
  shoot: Shoot,
  check: Check,
  fx: Fixtures,
  result: HarnessResult,
): Promise<void> {
  const p = await open('training', THEMES.light);
  const { page } = p;
  await p.send(fx.trainingStart);
  check('training: no points yet → no chart, a note', (await p.rendered()) === 0);
  check('training: Cancel enabled while training', await page.locator('#cancel').isEnabled());
  await page.locator('#settings').click();
  await p.waitFor(isType('openSettings'), 'openSettings');
  check('training: Open settings posts openSettings', true);

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
  const symbols = page.locator('#loss-chart svg g.mark-symbol path');
  await page.waitForFunction(
    `document.querySelectorAll('#loss-chart svg g.mark-symbol path').length >= ${NUM_EPOCHS}`,
    undefined,
    { timeout: 20_000 },
  );
  result.timings.stream50EpochsMs = Date.now() - t0;
  check(`training: ${NUM_EPOCHS} streamed points drawn`, (await symbols.count()) === NUM_EPOCHS);
  check(
    'training: points appended to the same view (no re-embed)',
    (await page.locator('#loss-chart svg[data-harness="v1"]').count()) === 1,
  );
  // Then the held-out evaluation's progress (the run's bar stays full).
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
  const renders = (await p.posted()).filter((m) => m.type === 'rendered').length;
  check('training: later epochs and batches do not trigger full renders', renders === 2, renders);
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
  await symbols.nth(NUM_EPOCHS - 1).hover();
  const tip = page.locator('#vg-tooltip-element.visible');
  await tip.waitFor({ timeout: 5000 });
  const tipText = (await tip.textContent()) ?? '';
  check('training: loss tooltip', /loss\/token/.test(tipText) && /epoch/.test(tipText), tipText);
  await page.mouse.move(1, 1);
  await shoot(p, 'training-live-light');

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
  check(
    'training: full render keeps the points',
    (await symbols.count()) === NUM_EPOCHS,
    await symbols.count(),
  );
  await shoot(p, 'training-light');
  await setTheme(p.page, THEMES.dark);
  check('training: re-renders on theme change', (await p.rendered('dark theme')) === 1);
  const bg = await page.evaluate(
    `getComputedStyle(document.body).backgroundColor + ' ' + document.querySelector('#loss-chart svg rect.background')?.getAttribute('style')`,
  );
  await shoot(p, 'training-dark');
  check('training: dark background applied', String(bg).startsWith('rgb(31, 31, 31)'), bg);
  await setTheme(p.page, THEMES['high-contrast']);
  await p.rendered('high contrast theme');
  await shoot(p, 'training-hc');

  // A hidden and re-shown panel reloads: it draws from getState before the host answers.
  await p.reload();
  await p.waitFor(isType('ready'), 'ready after reload');
  await p.rendered('restored');
  check(
    'training: restored from setState after reload',
    (await symbols.count()) === NUM_EPOCHS && (await page.locator('#seeds tbody tr').count()) === 4,
  );
}

async function translationFlow(
  open: Open,
  shoot: Shoot,
  check: Check,
  fx: Fixtures,
): Promise<void> {
  const p = await open('translation', THEMES.light);
  const { page } = p;
  await p.send(fx.translations);
  await p.rendered();
  check('translation: items listed', (await page.locator('li.translation').count()) === 4);
  check(
    'translation: unknown words and <unk> highlighted',
    (await page.locator('li.translation[data-id="2"] mark.unk').count()) === 3 &&
      (await page.locator('li.translation[data-id="2"] .unk-note').count()) === 1,
  );
  check(
    'translation: BLEU shown',
    ((await page.locator('li.translation[data-id="1"] .bleu').textContent()) ?? '').includes(
      '1.000',
    ),
  );
  const beamRows = page.locator('li.translation[data-id="4"] table.candidates tbody tr');
  const rowTexts = await beamRows.allTextContents();
  check(
    'translation: a beam item shows its ranked candidates (score, log P, BLEU); greedy ones none',
    rowTexts.length === 3 &&
      rowTexts[0].includes('il est calme .') &&
      rowTexts[0].includes('1.000') &&
      rowTexts[1].includes('0.658') &&
      (await page.locator('li.translation[data-id="4"] tr.chosen').count()) === 1 &&
      (await page.locator('li.translation[data-id="4"] tr mark.unk').count()) === 1 &&
      (await page.locator('li.translation:not([data-id="4"]) .candidates-box').count()) === 0,
    rowTexts,
  );
  // Keyboard: the candidates' summary folds and unfolds them.
  await page.locator('li.translation[data-id="4"] summary').focus();
  await page.keyboard.press('Enter');
  const folded = !(await beamRows.first().isVisible());
  await page.keyboard.press('Enter');
  check(
    'translation: candidates fold and unfold from the keyboard',
    folded && (await beamRows.first().isVisible()),
  );
  await page.locator('li.translation[data-id="2"] button.show-attention').click();
  const show = await p.waitFor(isType('showAttention'), 'showAttention');
  check('translation: Show attention posts its id', show.translationId === 2, show);
  // Keyboard only: focus the box, type, Enter.
  await page.locator('#sentence').focus();
  await page.keyboard.type('She is calm.');
  await page.keyboard.press('Enter');
  const tr = await p.waitFor(isType('translateSentence'), 'translateSentence');
  check('translation: typed sentence posted', tr.sentence === 'She is calm.', tr);
  await shoot(p, 'translation-light');
  await setTheme(page, THEMES.dark);
  await sleep(150);
  await shoot(p, 'translation-dark');
  await setTheme(page, THEMES['high-contrast']);
  await sleep(150);
  await shoot(p, 'translation-hc');
}

async function attentionFlow(
  open: Open,
  shoot: Shoot,
  check: Check,
  fx: Fixtures,
  result: HarnessResult,
): Promise<void> {
  const p = await open('attention', THEMES.light);
  const { page } = p;
  await p.rendered('empty', 0);
  check('attention: empty state explains what to do', await page.locator('#empty').isVisible());
  await shoot(p, 'attention-empty-light');
  let t0 = Date.now();
  await p.send(fx.attention);
  const charts = await p.rendered('24 heatmaps');
  result.timings.render24HeatmapsMs = Date.now() - t0;
  const figures = page.locator('figure.heatmap');
  check('attention: rendered reports 24 charts', charts === 24, charts);
  check('attention: 24 heatmap figures', (await figures.count()) === 24, await figures.count());
  for (const kind of ['encoderSelf', 'decoderSelf', 'encoderDecoder']) {
    const n = await page.locator(`figure.heatmap[data-kind="${kind}"] svg`).count();
    check(`attention: ${kind} has 2 layers × 4 heads`, n === 8, n);
  }
  const maps = fx.attention.current!.attention;
  const first = page.locator(
    'figure.heatmap[data-kind="encoderSelf"][data-layer="0"][data-head="0"]',
  );
  const cellCount = await first.locator('g.mark-rect path').count();
  check('attention: one rect per (query, key) incl. masked', cellCount === 100, cellCount);
  const masked = await first.locator('g.mark-rect.layer_0_marks path').count();
  const expectedMasked = maps.encoderSelf[0][0].flat().filter((w) => w === null).length;
  check('attention: masked cells drawn separately', masked === expectedMasked, {
    masked,
    expectedMasked,
  });
  const yLabels = (await first.locator('g.role-axis-label text').allTextContents()).join('|');
  check(
    'attention: axis labels prefixed by position',
    yLabels.includes(`0 ${maps.sourceTokens[0]}`) &&
      yLabels.includes(`${maps.sourceValidLen - 1} <eos>`),
    yLabels,
  );
  const dec = page.locator(
    'figure.heatmap[data-kind="encoderDecoder"][data-layer="1"][data-head="3"]',
  );
  const xLabels = (await dec.locator('g.role-axis-label text').allTextContents()).join('|');
  check(
    'attention: enc–dec keys are source tokens',
    xLabels.includes(`0 ${maps.sourceTokens[0]}`),
    xLabels,
  );

  // Tooltips: a weight cell, then a masked cell.
  const tip = page.locator('#vg-tooltip-element.visible');
  await first.locator('g.mark-rect.layer_1_marks path').nth(1).hover();
  await tip.waitFor({ timeout: 5000 });
  const tipText = (await tip.innerText()).replace(/\s+/g, ' ');
  check(
    'attention: tooltip shows query, key and weight (3 decimals)',
    /query/.test(tipText) && /key/.test(tipText) && /weight \d\.\d{3}\b/.test(tipText),
    tipText,
  );
  if (expectedMasked > 0) {
    await first.locator('g.mark-rect.layer_0_marks path').first().hover();
    await sleep(100);
    const maskedTip = (await tip.innerText()).replace(/\s+/g, ' ');
    check('attention: masked cell tooltip says masked', /weight masked/.test(maskedTip), maskedTip);
  }
  await page.mouse.move(1, 1);
  await shoot(p, 'attention-light');

  // "During training": the probe pair's snapshots, epoch slider by keyboard.
  await page.locator('#mode-training').click();
  check('attention: snapshot view renders 24', (await p.rendered('snapshots')) === 24);
  check(
    'attention: slider label shows the latest epoch',
    (await page.locator('#epoch-output').textContent()) === '50',
  );
  await page.evaluate(
    `document.querySelectorAll('figure.heatmap svg').forEach((s) => s.setAttribute('data-harness', 'v1'))`,
  );
  t0 = Date.now();
  await page.locator('#epoch-slider').focus();
  await page.keyboard.press('ArrowLeft');
  await p.rendered('previous snapshot');
  result.timings.snapshotSwitchMs = Date.now() - t0;
  check(
    'attention: ArrowLeft on the slider shows epoch 40',
    (await page.locator('#epoch-output').textContent()) === '40',
  );
  check(
    'attention: snapshot switch updates the views in place',
    (await page.locator('figure.heatmap svg[data-harness="v1"]').count()) === 24,
  );
  await page.keyboard.press('Home');
  await p.rendered('first snapshot');
  check(
    'attention: Home goes to epoch 1',
    (await page.locator('#epoch-output').textContent()) === '1',
  );
  await shoot(p, 'attention-snapshot-epoch1-light');
  await page.keyboard.press('End');
  await p.rendered('last snapshot');
  await shoot(p, 'attention-snapshot-light');

  // Export: composed PNG / SVG of everything shown, JSON of the data.
  await page.locator('#export-png').click();
  const png = await p.waitFor(isType('export'), 'PNG export', 30_000);
  const pngOk = parseWebviewMessage(png).ok && png.format === 'png';
  const bytes = Buffer.from(png.content.replace(/^data:image\/png;base64,/, ''), 'base64');
  const signature = bytes.subarray(0, 8).toString('hex') === '89504e470d0a1a0a';
  const width = bytes.readUInt32BE(16);
  const height = bytes.readUInt32BE(20);
  check('attention: PNG export is a valid PNG data URL', pngOk && signature && width > 500, {
    name: png.suggestedName,
    width,
    height,
  });
  writeFileSync(path.join(SCREENSHOT_DIR, 'export-attention.png'), bytes);
  await page.locator('#export-svg').click();
  const svg = await p.waitFor(isType('export'), 'SVG export');
  const nested = (svg.content.match(/<svg x="/g) ?? []).length;
  const parses = await page.evaluate(
    (s) =>
      !new (
        globalThis as unknown as {
          DOMParser: new () => {
            parseFromString(s: string, t: string): { querySelector(q: string): unknown };
          };
        }
      ).DOMParser()
        .parseFromString(s, 'image/svg+xml')
        .querySelector('parsererror'),
    svg.content,
  );
  check(
    'attention: SVG export is well-formed with 24 heatmaps + legend',
    parseWebviewMessage(svg).ok && parses && nested === 25,
    { nested, parses },
  );
  writeFileSync(path.join(SCREENSHOT_DIR, 'export-attention.svg'), svg.content);
  await page.locator('#export-json').click();
  const json = await p.waitFor(isType('export'), 'JSON export');
  let parsed: { view?: string; epoch?: number; maps?: { encoderSelf: unknown[][] } } = {};
  try {
    parsed = JSON.parse(json.content);
  } catch {
    // reported below
  }
  check(
    'attention: JSON export holds the shown snapshot',
    parsed.view === 'snapshot' &&
      parsed.epoch === 50 &&
      parsed.maps?.encoderSelf.length === 2 &&
      parsed.maps.encoderSelf[0].length === 4 &&
      json.suggestedName === 'attention-epoch-50.json',
    { view: parsed.view, epoch: parsed.epoch, name: json.suggestedName },
  );
  await p.send({ type: 'exportResult', ok: true, message: 'Saved /tmp/attention-epoch-50.json' });
  await page.waitForFunction(
    `document.querySelector('#export-status').textContent.includes('Saved')`,
  );
  check('attention: exportResult shown', true);

  // Hide the <pad> positions: the encoder maps shrink to the real source tokens.
  await page.locator('#mode-current').click();
  await p.rendered('current again');
  await page.locator('#show-padding').uncheck();
  check('attention: hiding padding keeps 24 heatmaps', (await p.rendered('no padding')) === 24);
  const valid = maps.sourceValidLen;
  const trimmed = await first.locator('g.mark-rect path').count();
  check('attention: without padding the encoder map is valid × valid', trimmed === valid * valid, {
    trimmed,
    valid,
  });
  await shoot(p, 'attention-nopad-light');
  await page.locator('#show-padding').check();
  await p.rendered('padding again');

  // The colour scale switch.
  await page.locator('#scale').selectOption('one');
  check('attention: colour scale 0–1 re-renders 24', (await p.rendered('scale')) === 24);
  await page.locator('#scale').selectOption('max');
  await p.rendered('scale back');

  // Invalid host message: dropped and reported, nothing breaks.
  p.expectedErrors.push(/ignored an invalid message/);
  await p.send({ type: 'attentionData', current: null });
  const err = await p.waitFor(isType('webviewError'), 'webviewError');
  check(
    'attention: invalid host message reported as webviewError',
    /snapshots/.test(err.message),
    err,
  );

  await page.locator('#sentence').fill('I won!');
  await page.locator('#sentence').press('Enter');
  const tr = await p.waitFor(isType('translateSentence'), 'translateSentence');
  check('attention: typed sentence posted', tr.sentence === 'I won!');

  await setTheme(page, THEMES.dark);
  check('attention: re-renders for dark theme', (await p.rendered('dark')) === 24);
  await shoot(p, 'attention-dark');
  await page.locator('#mode-training').click();
  await p.rendered('snapshots dark');
  await shoot(p, 'attention-snapshot-dark');
  await setTheme(page, THEMES['high-contrast']);
  await p.rendered('hc');
  await shoot(p, 'attention-hc');
  await setTheme(page, THEMES.light);
  await p.rendered('light again');

  t0 = Date.now();
  await p.send(fx.attention4);
  const n4 = await p.rendered('48 heatmaps', 48);
  result.timings.render48HeatmapsMs = Date.now() - t0;
  check('attention: 4 layers → 48 heatmaps', n4 === 48 && (await figures.count()) === 48, n4);
  await shoot(p, 'attention-4layers-light');
  const renders = (await p.posted()).filter((m) => m.type === 'rendered').length;
  result.timings.attentionRenders = renders;
}

// ------------------------------------------------------------------ compare runs

/** The run ids of the table's rows, top to bottom. */
function rowIds(page: Page): Promise<(string | null)[]> {
  return page
    .locator('#runs-table tbody tr')
    .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-run-id')));
}

/** The run names in the loss chart's legend, top to bottom. */
function legendLabels(page: Page): Promise<string[]> {
  return page.locator('#curves-chart g.role-legend-label text').allTextContents();
}

async function compareFlow(
  open: Open,
  shoot: Shoot,
  check: Check,
  fx: Fixtures,
  result: HarnessResult,
): Promise<void> {
  const [run1, run2, run3] = RUN_IDS;
  const p = await open('compare', THEMES.light);
  const { page } = p;
  const rows = page.locator('#runs-table tbody tr');
  const lines = page.locator('#curves-chart g.mark-line path');
  const seedRuns = () =>
    page
      .locator('#seeds-table thead th[data-run-id]')
      .evaluateAll((ths) => ths.map((th) => th.getAttribute('data-run-id')));
  check(
    'compare: a loading line until the host answers',
    await page.locator('#runs-loading').isVisible(),
  );

  // No run yet: a friendly line that says how to make one.
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

  // Two runs: 2 layers dot product (current) and 4 layers additive.
  let t0 = Date.now();
  await p.send(fx.runs);
  check('compare: two runs draw the loss chart', (await p.rendered('two runs')) === 1);
  result.timings.compareRenderMs = Date.now() - t0;
  await shoot(p, 'compare-runs-light');
  check(
    'compare: newest run first',
    JSON.stringify(await rowIds(page)) === JSON.stringify([run2, run1]),
  );
  const col = (key: string) => page.locator(`#runs-table tbody td[data-column="${key}"]`);
  check(
    'compare: layers, attention and pairs columns',
    JSON.stringify(await col('layers').allTextContents()) === '["4","2"]' &&
      JSON.stringify(await col('attention').allTextContents()) === '["additive","dotProduct"]' &&
      JSON.stringify(await col('pairs').allTextContents()) === '["600","600"]',
    await col('attention').allTextContents(),
  );
  check(
    'compare: the current run is marked',
    (await page.locator(`tr.current[data-run-id="${run1}"] .current-badge`).count()) === 1 &&
      (await page.locator('tr.current').count()) === 1,
  );
  const bleu2 = await col('bleu2').allTextContents();
  check(
    'compare: held-out BLEU-2 with its count in the title, — when not scored',
    bleu2[0] === '—' &&
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

  // Sorting: a click sorts, a second reverses; aria-sort follows.
  const th = (key: string) => page.locator(`#runs-table thead th[data-column="${key}"]`);
  await th('layers').locator('button').click();
  await p.rendered('sorted by layers');
  check(
    'compare: clicking "Layers" sorts ascending (aria-sort)',
    JSON.stringify(await rowIds(page)) === JSON.stringify([run1, run2]) &&
      (await th('layers').getAttribute('aria-sort')) === 'ascending' &&
      (await th('run').getAttribute('aria-sort')) === null,
  );
  await th('layers').locator('button').click();
  await p.rendered('sorted by layers, descending');
  check(
    'compare: clicking it again sorts descending',
    JSON.stringify(await rowIds(page)) === JSON.stringify([run2, run1]) &&
      (await th('layers').getAttribute('aria-sort')) === 'descending',
  );
  check(
    'compare: the chart legend and the seed columns follow the table order',
    JSON.stringify(await legendLabels(page)) === '["Run 2","Run 1"]' &&
      JSON.stringify(await seedRuns()) === JSON.stringify([run2, run1]),
    await legendLabels(page),
  );
  // Keyboard: Enter on the focused "Loss / token" header button, focus stays on it.
  await th('loss').locator('button').focus();
  await page.keyboard.press('Enter');
  await p.rendered('sorted by loss');
  const losses = (await col('loss').allTextContents()).map(Number);
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
    JSON.stringify(await rowIds(page)) === JSON.stringify([run2, run1]) &&
      (await th('run').getAttribute('aria-sort')) === 'descending',
  );

  // The checked runs: both drawn; unchecking one takes it out of the chart and the seed table.
  check('compare: one line per checked run', (await lines.count()) === 2, await lines.count());
  check(
    'compare: seed table rows and run columns',
    (await page.locator('#seeds-table tbody tr').count()) === 4 && (await seedRuns()).length === 2,
  );
  await page.locator(`input.run-check[data-run-id="${run1}"]`).uncheck();
  check('compare: unchecking re-renders the chart', (await p.rendered('run 1 unchecked')) === 1);
  check(
    'compare: an unchecked run leaves the chart data and the seed table',
    (await lines.count()) === 1 &&
      JSON.stringify(await legendLabels(page)) === '["Run 2"]' &&
      (await page.locator('#curves-chart').getAttribute('data-runs')) === run2 &&
      JSON.stringify(await seedRuns()) === JSON.stringify([run2]) &&
      (await page
        .locator('#check-all')
        .evaluate((b) => (b as unknown as { indeterminate: boolean }).indeterminate)),
    await legendLabels(page),
  );
  await page.locator(`input.run-check[data-run-id="${run1}"]`).check();
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

  // Row actions.
  const makeCurrent = (id: string) => page.locator(`tr[data-run-id="${id}"] button.make-current`);
  check(
    'compare: "Make current" is disabled on the current run only',
    (await makeCurrent(run1).isDisabled()) && (await makeCurrent(run2).isEnabled()),
  );
  await makeCurrent(run2).click();
  const mc = await p.waitFor(isType('makeRunCurrent'), 'makeRunCurrent');
  check('compare: Make current posts makeRunCurrent with the run id', mc.runId === run2, mc);
  await page.locator(`tr[data-run-id="${run1}"] button.delete-run`).click();
  const del = await p.waitFor(isType('deleteRun'), 'deleteRun');
  check('compare: Delete posts deleteRun with the run id', del.runId === run1, del);

  // Attention of two runs: the two newest by default, "i'm home .".
  check(
    'compare: run A and run B default to the two newest, the sentence to "i\'m home ."',
    (await page.locator('#pick-a').inputValue()) === run2 &&
      (await page.locator('#pick-b').inputValue()) === run1 &&
      (await page.locator('#compare-sentence').inputValue()) === "i'm home .",
  );
  await page.locator('#compare').click();
  const req = await p.waitFor(isType('compareAttention'), 'compareAttention');
  check(
    'compare: Compare posts compareAttention',
    parseWebviewMessage(req).ok &&
      JSON.stringify(req.runIds) === JSON.stringify([run2, run1]) &&
      req.sentence === "i'm home .",
    req,
  );
  t0 = Date.now();
  await p.send(fx.compareResult);
  const withMaps = await p.rendered('attention of two runs');
  result.timings.compareAttentionMs = Date.now() - t0;
  const side = (i: number, kind: string) =>
    page.locator(`figure.heatmap[data-side="${i}"][data-kind="${kind}"]`);
  check(
    'compare: 4-layer and 2-layer sides draw 16 + 8 heatmaps (+ the loss chart)',
    withMaps === 25 &&
      (await side(0, 'encoderSelf').count()) === 16 &&
      (await side(1, 'encoderSelf').count()) === 8,
    withMaps,
  );
  const sideText = await page.locator('.compare-side').allInnerTexts();
  check(
    'compare: each side shows its label and translation',
    sideText.length === 2 &&
      sideText[0].includes('Run 2 · 4 layers · additive') &&
      sideText[1].includes('Run 1 · 2 layers') &&
      sideText.every((t) => t.includes('je suis chez moi .')),
    sideText,
  );
  check(
    'compare: the two runs side by side in a wide panel',
    (await page.locator('#compare-sides').getAttribute('data-layout')) === 'side-by-side',
  );
  await page.locator('#kind-decoderSelf').click();
  check('compare: the kind switch re-renders', (await p.rendered('decoder self')) === 25);
  check(
    'compare: decoder self-attention shown for both runs',
    (await side(0, 'decoderSelf').count()) === 16 &&
      (await side(1, 'decoderSelf').count()) === 8 &&
      (await page.locator('#kind-decoderSelf').getAttribute('aria-pressed')) === 'true',
  );
  await page.locator('#kind-encoderDecoder').click();
  await p.rendered('encoder-decoder');
  await page.evaluate(`document.querySelector('#runs-table').parentElement.scrollLeft = 0`);
  await shoot(p, 'compare-light');
  await page.setViewportSize({ width: 620, height: 900 });
  // The layout is awaited, not a `rendered`: a full-page screenshot may resize the page too.
  const layout = (mode: string): Promise<boolean> =>
    page
      .locator(`#compare-sides[data-layout="${mode}"]`)
      .waitFor({ timeout: 10_000 })
      .then(
        () => true,
        () => false,
      );
  check(
    'compare: a narrow panel stacks the runs, all heatmaps again',
    (await layout('stacked')) && (await page.locator('figure.heatmap').count()) === 24,
  );
  await shoot(p, 'compare-narrow-light');
  await page.setViewportSize(VIEWPORT);
  check('compare: side by side again when wide', await layout('side-by-side'));

  // Exports: the table as CSV, the chart as PNG and SVG.
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

  // A new run arrives (failed, no model): checked by default; run 1 stays unchecked.
  await page.locator(`input.run-check[data-run-id="${run1}"]`).uncheck();
  await p.rendered('run 1 unchecked again');
  await p.send(fx.runsWithFailed);
  await p.rendered('three runs');
  check(
    'compare: a new run is listed and checked; earlier choices kept',
    (await rows.count()) === 3 &&
      (await page.locator(`input.run-check[data-run-id="${run3}"]`).isChecked()) &&
      !(await page.locator(`input.run-check[data-run-id="${run1}"]`).isChecked()) &&
      JSON.stringify(await legendLabels(page)) === '["Run 3","Run 2"]',
    await legendLabels(page),
  );
  check(
    'compare: a failed run cannot be made current nor compared',
    (await makeCurrent(run3).isDisabled()) &&
      (await page.locator(`#pick-a option[value="${run3}"]`).count()) === 0 &&
      /Out of memory/.test(
        (await page
          .locator(`tr[data-run-id="${run3}"] td:has(.badge[data-status="failed"])`)
          .getAttribute('title')) ?? '',
      ),
  );

  // Malformed host messages: ignored and reported.
  p.expectedErrors.push(/ignored an invalid/);
  await p.send({
    type: 'runsState',
    runs: [{ id: 'x' }],
    currentRunId: null,
    totalBytes: 0,
    limitBytes: 1,
  });
  const bad = await p.waitFor(isType('webviewError'), 'webviewError');
  await p.send({ type: 'compareAttentionResult', sentence: 1, sides: [] });
  const bad2 = await p.waitFor(isType('webviewError'), 'webviewError 2');
  check(
    'compare: malformed runsState and compareAttentionResult are ignored and reported',
    /runsState/.test(bad.message) &&
      /compareAttentionResult/.test(bad2.message) &&
      (await rows.count()) === 3,
    [bad.message.slice(0, 80), bad2.message.slice(0, 80)],
  );

  // Run 1 deleted: it leaves the selections; run B has no other run to fall back on.
  await p.send(fx.runsAfterDelete);
  check('compare: the list after a deletion renders', (await p.rendered('after delete')) === 25);
  check(
    'compare: a deleted run leaves the table, the picks and the chart',
    JSON.stringify(await rowIds(page)) === JSON.stringify([run3, run2]) &&
      (await page.locator('#pick-a').inputValue()) === run2 &&
      (await page.locator('#pick-b').inputValue()) === '' &&
      (await page.locator('#compare').isDisabled()) &&
      (await page.locator('#compare-hint').isVisible()) &&
      !((await page.locator('#curves-chart').getAttribute('data-runs')) ?? '').includes(run1),
  );

  // Hidden and shown again: everything comes back from setState before the host answers.
  await th('loss').locator('button').click();
  await p.rendered('sorted by loss again');
  await page.locator('#compare-sentence').fill("he's calm .");
  await page.locator(`input.run-check[data-run-id="${run3}"]`).uncheck();
  await p.rendered('run 3 unchecked');
  await p.reload();
  await p.waitFor(isType('ready'), 'ready after reload');
  check('compare: restored after reload', (await p.rendered('restored')) === 25);
  check(
    'compare: sort, kind, sentence and checks restored',
    (await th('loss').getAttribute('aria-sort')) === 'ascending' &&
      (await page.locator('#kind-encoderDecoder').getAttribute('aria-pressed')) === 'true' &&
      (await page.locator('#compare-sentence').inputValue()) === "he's calm ." &&
      (await page.locator(`input.run-check[data-run-id="${run2}"]`).isChecked()) &&
      !(await page.locator(`input.run-check[data-run-id="${run3}"]`).isChecked()),
  );

  await setTheme(page, THEMES.dark);
  check('compare: re-renders for the dark theme', (await p.rendered('dark')) === 25);
  await shoot(p, 'compare-dark');
  await setTheme(page, THEMES['high-contrast']);
  await p.rendered('hc');
  await shoot(p, 'compare-hc');
}

// ------------------------------------------------------------------ bench (--bench)

function buildBench(): string {
  // esbuild's JS API, as scripts/build.mjs uses it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require('esbuild') as typeof import('esbuild');
  const out = esbuild.buildSync({
    entryPoints: [path.join(ROOT, 'webview/bench/heatmapBench.ts')],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'warning',
  });
  return out.outputFiles[0].text;
}

async function runBench(
  browser: Browser,
  origin: string,
  fx: Fixtures,
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const variant of ['separate-svg', 'separate-canvas', 'facet-svg', 'facet-canvas']) {
    for (const [label, data] of [
      ['24', fx.attention],
      ['48', fx.attention4],
    ] as const) {
      const context = await browser.newContext({ viewport: VIEWPORT });
      const page = await context.newPage();
      await page.addInitScript({ content: initScript(THEMES.light) });
      await page.goto(`${origin}/panel/bench.html`);
      await page.waitForFunction('typeof window.__bench === "function"');
      const times: number[] = [];
      for (let i = 0; i < 4; i++) {
        times.push(
          (await page.evaluate(
            ([v, maps]) =>
              (
                globalThis as unknown as { __bench(v: string, m: unknown): Promise<number> }
              ).__bench(v, maps),
            [variant, data.current!.attention] as const,
          )) as number,
        );
      }
      times.shift(); // warm-up
      out[`${variant}-${label}`] = Math.round(times.reduce((a, b) => a + b, 0) / times.length);
      await context.close();
    }
  }
  return out;
}

// ------------------------------------------------------------------ main

if (require.main === module) {
  const argv = process.argv.slice(2);
  const started = Date.now();
  runHarness({
    build: !argv.includes('--no-build'),
    bench: argv.includes('--bench'),
    screenshots: !argv.includes('--no-screenshots'),
  })
    .then((r) => {
      console.log(`\ntimings (ms): ${JSON.stringify(r.timings)}`);
      if (r.bench) console.log(`bench (ms, mean of 3 after a warm-up): ${JSON.stringify(r.bench)}`);
      if (r.screenshots.length) console.log(`screenshots: ${SCREENSHOT_DIR}`);
      console.log(
        `${r.passed.length} passed, ${r.failures.length} failed in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
      for (const f of r.failures) console.log(`  FAIL ${f}`);
      process.exitCode = r.failures.length ? 1 : 0;
    })
    .catch((err) => {
      console.error(err);
      process.exitCode = 1;
    });
}
