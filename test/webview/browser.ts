/**
 * The browser side of the harness: Debian's Chromium, a page per panel made by the SAME shell
 * function and CSP as the extension (src/panels/webviewHtml.ts) and served on 127.0.0.1:0, a
 * nonce'd stand-in for acquireVsCodeApi that records what the page posts and keeps its state in
 * sessionStorage (so a reload behaves like a hidden and re-shown panel), and VS Code's themes.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { PANEL_ASSETS, PANEL_TITLES } from '../../src/panels/viewTypes';
import { createNonce, webviewHtml } from '../../src/panels/webviewHtml';
import type { PanelKind } from '../../src/shared/protocol';
import { HarnessTheme } from './themes';

export { CHROMIUM, CHROMIUM_ARGS } from '../helpers/chromium.mjs';

export const ROOT = path.resolve(__dirname, '../..');
export const MEDIA = path.join(ROOT, 'media');
export const SCREENSHOT_DIR = path.join(ROOT, '.cache', 'screenshots');
export const VIEWPORT = { width: 1000, height: 900 };

// ------------------------------------------------------------------ the page's stubs

/** The stand-in for VS Code's acquireVsCodeApi, loaded as the first nonce'd script; `postedAt`
 * stamps each post with the page's clock (flows/maskTiming.flow.ts reads it). */
const STUB = `(() => {
  const h = (window.__harness = { posted: [], postedAt: [], acquired: 0 });
  window.acquireVsCodeApi = function () {
    if (h.acquired++) throw new Error('An instance of the VS Code API has already been acquired');
    return Object.freeze({
      postMessage(m) { h.postedAt.push(performance.now()); h.posted.push(JSON.parse(JSON.stringify(m))); },
      getState() { const s = sessionStorage.getItem('vscode-state'); return s ? JSON.parse(s) : undefined; },
      setState(s) { sessionStorage.setItem('vscode-state', JSON.stringify(s)); return s; },
    });
  };
})();`;

/** Runs before any page script: records CSP violations and applies a theme as VS Code does
 * (variables on <html> through the CSSOM, a class on <body>). */
export function initScript(theme: HarnessTheme): string {
  return `(() => {
  window.__csp = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__csp.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample });
  });
  const vars = ${JSON.stringify(theme.vars)};
  const bodyClass = ${JSON.stringify(theme.bodyClass)};
  const extraClasses = ${JSON.stringify(theme.extraClasses ?? [])};
  let varsDone = false, classDone = false;
  const apply = () => {
    if (!varsDone && document.documentElement) {
      for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(k, v);
      varsDone = true;
    }
    if (!classDone && document.body) {
      document.body.classList.add(bodyClass, ...extraClasses);
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

/** Turns VS Code's "reduce motion" on or off in a live page (a body class, as VS Code does). */
export async function setReduceMotion(page: Page, on: boolean): Promise<void> {
  await page.evaluate(`document.body.classList.toggle('vscode-reduce-motion', ${on})`);
}

/** Switches theme in a live page the way VS Code does. */
export async function setTheme(page: Page, theme: HarnessTheme): Promise<void> {
  await page.evaluate(`(() => {
    const root = document.documentElement;
    for (const name of [...root.style]) if (name.startsWith('--vscode-')) root.style.removeProperty(name);
    for (const [k, v] of Object.entries(${JSON.stringify(theme.vars)})) root.style.setProperty(k, v);
    document.body.classList.remove('vscode-light', 'vscode-dark', 'vscode-high-contrast', 'vscode-high-contrast-light');
    document.body.classList.add(...${JSON.stringify([theme.bodyClass, ...(theme.extraClasses ?? [])])});
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

export interface Server {
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

export async function startServer(benchJs: string | null): Promise<Server> {
  let origin = '';
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    const send = (status: number, type: string, body: string | Buffer): void => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    const panel = /^\/panel\/(training|translation|attention|compare|heads|bench)\.html$/.exec(
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
