// Helpers to drive VS Code's web workbench (served by code-server, see scripts/vscode/codeServer.mjs)
// in Debian's Chromium with playwright-core: open it, run commands from the palette, reach into
// webviews, watch for console errors and CSP violations, take screenshots.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { cacheDir, repoRoot } from '../../scripts/vscode/codeServer.mjs';
import { CHROMIUM, CHROMIUM_ARGS } from '../helpers/chromium.mjs';

export const screenshotDir = join(repoRoot, '.cache/screenshots');

/**
 * Starts a headless Chromium with a fresh profile in `profileDir` (playwright's launch() refuses
 * --user-data-dir, hence a persistent context). Signals are ours to handle: the callers stop the
 * browser and code-server together.
 */
export async function launchBrowser(profileDir) {
  rmSync(profileDir, { recursive: true, force: true });
  mkdirSync(profileDir, { recursive: true });
  return chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 800 },
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    // Chromium keeps crash reports under $XDG_CONFIG_HOME/chromium: not in the home directory.
    env: {
      ...process.env,
      XDG_CONFIG_HOME: join(cacheDir, 'xdg/config'),
      XDG_CACHE_HOME: join(cacheDir, 'xdg/cache'),
    },
    args: [...CHROMIUM_ARGS],
  });
}

const isCsp = (text) => /Content Security Policy/i.test(text);
const isLoopback = (url) => ['127.0.0.1', 'localhost'].includes(new URL(url).hostname);
const isNetwork = (url) => /^(https?|wss?):$/.test(new URL(url).protocol);
/** Webview documents are served from the workbench's webview/browser/pre/ folder. */
export const isWebviewUrl = (url) => /\/webview\/browser\/pre\/|\.vscode-cdn\.net\//.test(url);
/** code-server lacks VS Code's closed-source vsda module: the workbench's 404s for it are noise. */
const isKnownNoise = (entry) => /\/node_modules\/vsda\//.test(entry.url);

/**
 * Records what goes wrong in the page and all its frames (webviews included): console errors
 * (each marked fromWebview), CSP violations (Chromium reports them as console errors "...
 * violates the following Content Security Policy directive"), uncaught exceptions, and requests
 * that left the machine. Webview resources use https://*.vscode-resource.vscode-cdn.net URLs
 * that the webview's service worker answers from code-server: those stay local.
 */
export function watchProblems(page) {
  const problems = { consoleErrors: [], cspViolations: [], pageErrors: [], nonLocalRequests: [] };
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const url = msg.location()?.url ?? '';
    const entry = { text: msg.text(), url, fromWebview: isWebviewUrl(url) };
    if (isCsp(entry.text)) problems.cspViolations.push(entry);
    else if (!isKnownNoise(entry)) problems.consoleErrors.push(entry);
  });
  page.on('pageerror', (err) => problems.pageErrors.push(String(err?.stack ?? err)));
  const context = page.context();
  context.on('requestfinished', async (req) => {
    if (!isNetwork(req.url()) || isLoopback(req.url())) return;
    const res = await req.response().catch(() => null);
    if (!res?.fromServiceWorker()) problems.nonLocalRequests.push(req.url());
  });
  context.on('requestfailed', (req) => {
    // Requests the CSP blocked never went out; they are in cspViolations.
    if (!isNetwork(req.url()) || isLoopback(req.url()) || req.failure()?.errorText === 'csp')
      return;
    problems.nonLocalRequests.push(`${req.url()} (${req.failure()?.errorText})`);
  });
  return problems;
}

/** Opens `url` (see server.folderUrl) and waits until the workbench has laid itself out. */
export async function openWorkbench(context, url, { timeoutMs = 120_000 } = {}) {
  const page = context.pages()[0] ?? (await context.newPage());
  const problems = watchProblems(page);
  // Playwright's default 30 s is too short on a loaded machine: code-server's extension host
  // agent alone took 13 s to start in one failed run (load average 14 on 2 cores).
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: timeoutMs });
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: timeoutMs });
  await page.locator('.monaco-workbench .part.editor').waitFor({ timeout: timeoutMs });
  return { page, problems };
}

/**
 * Runs a command from the palette (F1) by its full title, e.g. "Transformer: Show Training Panel".
 * Contributed commands appear only once the remote extension host has scanned the extensions,
 * so this retries until the palette lists the command.
 */
export async function runCommand(page, title, { attempts = 20 } = {}) {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      await page.keyboard.press('F1');
      await input.waitFor({ state: 'visible', timeout: 15_000 });
      await input.fill(`>${title}`, { timeout: 5_000 });
      await row.waitFor({ state: 'visible', timeout: 3_000 });
      // Click the row that matched: Enter runs the highlighted row, which the fuzzy ranking may
      // have made another command ("File: Compare New Untitled Text Files").
      await row.click();
      return attempt;
    } catch {
      await page.keyboard.press('Escape');
      await page.waitForTimeout(1_500);
    }
  }
  throw new Error(`"${title}" never appeared in the command palette (${attempts} tries)`);
}

/**
 * The content of the visible webview. A webview is an <iframe class="webview ready"> served by
 * code-server that hosts a second <iframe id="active-frame"> holding the extension's HTML.
 * Hidden webviews keep their iframes, hence the visibility filter.
 */
export function webviewFrame(page) {
  return page.frameLocator('iframe.webview.ready:visible').first().frameLocator('#active-frame');
}

/** Waits until the visible webview's body shows text; resolves with that text. */
export async function waitForWebviewText(page, { timeoutMs = 60_000 } = {}) {
  const body = webviewFrame(page).locator('body');
  await body.waitFor({ timeout: timeoutMs });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = (await body.innerText().catch(() => '')).trim();
    if (text) return text;
    if (Date.now() > deadline) throw new Error(`the webview showed no text within ${timeoutMs} ms`);
    await page.waitForTimeout(250);
  }
}

/** Waits until a tab with this title shows, e.g. waitForTab(page, 'Transformer: Training'). */
export async function waitForTab(page, title, timeoutMs = 30_000) {
  await page
    .locator('.tabs-container .tab', { hasText: title })
    .first()
    .waitFor({ timeout: timeoutMs });
}

/** Saves a PNG of the whole workbench as .cache/screenshots/<name>.png; returns its path. */
export async function screenshot(page, name) {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}
