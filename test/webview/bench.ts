/**
 * `--bench`: times the attention panel's rendering choices (webview/bench/heatmapBench.ts): 24
 * or 48 separate small charts versus one faceted spec per kind, each with the SVG and the
 * canvas renderer; the mean of 3 runs after a warm-up.
 */
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { initScript, ROOT, VIEWPORT } from './browser';
import { Fixtures } from './fixtures';
import { THEMES } from './themes';

export function buildBench(): string {
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

export async function runBench(
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
