/**
 * Browser harness for the four webview panels, before VS Code is in the loop.
 *
 *   npx tsx test/webview/harness.ts [--no-build] [--bench] [--no-screenshots] [--only PANEL]
 *
 * Builds the bundles, serves each panel's page with the extension's own shell and CSP
 * (browser.ts), and drives Debian's Chromium with playwright-core through one flow per panel
 * (flows/<panel>.flow.ts, in the order of the panels' code): sends realistic host messages
 * (fixtures.ts: attention maps of a real Transformer with random weights), streams 50 epochs,
 * hovers for tooltips, exports, sorts and compares runs, switches themes, takes screenshots into
 * .cache/screenshots/, and fails (exit code 1) on any failed check, console error, page error or
 * Content Security Policy violation.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { PANEL_ASSETS } from '../../src/panels/viewTypes';
import type { PanelKind, WebviewToHost } from '../../src/shared/protocol';
import { buildBench, runBench } from './bench';
import {
  CHROMIUM,
  CHROMIUM_ARGS,
  initScript,
  MEDIA,
  ROOT,
  SCREENSHOT_DIR,
  Server,
  startServer,
  VIEWPORT,
} from './browser';
import { makeFixtures } from './fixtures';
import type { FlowContext } from './flow';
import { attentionFlow } from './flows/attention.flow';
import { attentionStatsFlow } from './flows/attentionStats.flow';
import { compareFlow } from './flows/compare.flow';
import { headsFlow } from './flows/heads.flow';
import { exploreFlow } from './flows/explore.flow';
import { maskTimingFlow } from './flows/maskTiming.flow';
import { trainingFlow } from './flows/training.flow';
import { translationFlow } from './flows/translation.flow';
import { PanelPage, sleep } from './panelPage';
import { HarnessTheme, THEMES } from './themes';

export { CHROMIUM, SCREENSHOT_DIR } from './browser';

export interface HarnessOptions {
  build?: boolean;
  screenshots?: boolean;
  bench?: boolean;
  /** Run only the flows of these panels ("attention", "compare"…); all when absent. */
  only?: string[];
  log?: (line: string) => void;
}

export interface HarnessResult {
  passed: string[];
  failures: string[];
  timings: Record<string, number>;
  screenshots: string[];
  bench?: Record<string, number>;
}

/** The panels' flows, in order. */
const FLOWS: [string, (ctx: FlowContext) => Promise<void>][] = [
  ['training panel', trainingFlow],
  ['translation panel', translationFlow],
  ['attention panel', attentionFlow],
  ['attention panel: explore', exploreFlow],
  ['attention panel: mask timing', maskTimingFlow],
  ['attention panel: statistics', attentionStatsFlow],
  ['compare panel', compareFlow],
  ['heads panel', headsFlow],
];

export async function runHarness(options: HarnessOptions = {}): Promise<HarnessResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const result: HarnessResult = { passed: [], failures: [], timings: {}, screenshots: [] };
  const check = checker(result, log);
  const fx = await prepare(options, result);
  const benchJs = options.bench ? buildBench() : null;
  const server = await startServer(benchJs);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const pages: PanelPage[] = [];
  const ctx: FlowContext = {
    open: opener(browser, server, pages, check),
    shoot: async (p, name) => {
      if (options.screenshots === false) return;
      const file = path.join(SCREENSHOT_DIR, `${name}.png`);
      await p.page.screenshot({ path: file, fullPage: true });
      result.screenshots.push(file);
    },
    check,
    fx,
    timings: result.timings,
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
    const only = options.only;
    for (const [name, flow] of FLOWS) {
      if (!only || only.some((panel) => name.startsWith(panel))) await step(name, () => flow(ctx));
    }
    await step('CSP detector self-check', () => cspSelfCheck(ctx, pages));
    if (benchJs) {
      await step('bench', async () => {
        result.bench = await runBench(browser, server.origin, fx);
      });
    }
    await pageChecks(pages, check);
  } finally {
    await browser.close();
    await server.close();
  }
  return result;
}

function checker(result: HarnessResult, log: (line: string) => void): FlowContext['check'] {
  return (name, ok, detail) => {
    if (ok) {
      result.passed.push(name);
      log(`  ok   ${name}`);
    } else {
      const text = `${name}${detail === undefined ? '' : `: ${JSON.stringify(detail).slice(0, 500)}`}`;
      result.failures.push(text);
      log(`  FAIL ${text}`);
    }
  };
}

/** Builds the bundles (unless --no-build), checks they are there, and makes the fixtures. */
async function prepare(options: HarnessOptions, result: HarnessResult) {
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
  return fx;
}

function opener(
  browser: Browser,
  server: Server,
  pages: PanelPage[],
  check: FlowContext['check'],
): FlowContext['open'] {
  return async (kind: PanelKind, theme: HarnessTheme) => {
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
}

/** The same page and listeners must catch a violation, or "no CSP violations" means nothing. */
async function cspSelfCheck(ctx: FlowContext, pages: PanelPage[]): Promise<void> {
  const probe = await ctx.open('translation', THEMES.light);
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
  ctx.check(
    'harness: CSP blocks and reports an inline script and an inline <style>',
    seen.some((v) => v.directive.startsWith('script-src')) &&
      seen.some((v) => v.directive.startsWith('style-src')) &&
      (await probe.page.evaluate('window.__inline')) === undefined,
    seen,
  );
  pages.splice(pages.indexOf(probe), 1);
  await probe.page.context().close();
}

/** Every page the flows opened: no page error, no CSP violation, no unexpected console line. */
async function pageChecks(pages: PanelPage[], check: FlowContext['check']): Promise<void> {
  for (const p of pages) {
    check(`${p.kind}: no page errors`, p.pageErrors.length === 0, p.pageErrors);
    const csp = await p.cspViolations().catch(() => ['page closed']);
    check(`${p.kind}: no CSP violations`, csp.length === 0, csp);
    const bad = p.unexpectedConsole();
    check(`${p.kind}: no console errors or warnings`, bad.length === 0, bad);
  }
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  const started = Date.now();
  runHarness({
    build: !argv.includes('--no-build'),
    bench: argv.includes('--bench'),
    screenshots: !argv.includes('--no-screenshots'),
    only: argv.includes('--only') ? [argv[argv.indexOf('--only') + 1]] : undefined,
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
