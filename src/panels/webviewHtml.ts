/**
 * The HTML shell of every panel, with its Content Security Policy. vscode-free: the panels pass
 * `webview.cspSource` and `asWebviewUri(...)` strings; the browser harness passes its own server's
 * origin and URLs, so both load exactly the same page under the same policy.
 */
import { randomBytes } from 'node:crypto';
import type { PanelKind } from '../shared/protocol';

export interface WebviewHtmlOptions {
  panel: PanelKind;
  title: string;
  /** `webview.cspSource` (the harness: its origin). */
  cspSource: string;
  /** A fresh value per page load (see createNonce). */
  nonce: string;
  /** Script URLs, in order; each gets the nonce. */
  scripts: readonly string[];
  /** Stylesheet URLs. */
  styles: readonly string[];
}

/** 128 random bits, base64 (a valid CSP nonce). */
export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

/**
 * Scripts: only those carrying the nonce (no 'unsafe-eval': the charts run vega's expression
 * interpreter instead of compiling expressions with new Function; no 'unsafe-inline').
 * Styles: only stylesheet files from the extension. vega and vega-tooltip set element styles
 * through the CSSOM (el.style.x = ...), which CSP does not govern, and inject no <style> elements
 * or style="" attributes with the options the panels use (checked by test/webview/harness.ts,
 * which fails on any securitypolicyviolation event), so style-src needs no nonce or
 * 'unsafe-inline'. Images: the extension's files plus data:/blob: URLs (the PNG export
 * rasterises an SVG data: URL).
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `img-src ${cspSource} data: blob:`,
    `font-src ${cspSource}`,
  ].join('; ');
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export function webviewHtml(options: WebviewHtmlOptions): string {
  const csp = contentSecurityPolicy(options.cspSource, options.nonce);
  const styles = options.styles
    .map((href) => `    <link rel="stylesheet" href="${escapeHtml(href)}">`)
    .join('\n');
  const scripts = options.scripts
    .map(
      (src) =>
        `    <script nonce="${escapeHtml(options.nonce)}" src="${escapeHtml(src)}"></script>`,
    )
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <title>${escapeHtml(options.title)}</title>
${styles}
  </head>
  <body data-panel="${escapeHtml(options.panel)}">
    <main id="app" aria-live="off"></main>
    <noscript>This panel needs JavaScript.</noscript>
${scripts}
  </body>
</html>
`;
}
