// Draws the extension's icon, media/icon.png (256 × 256): an attention heatmap (queries down,
// keys across) whose bright cells follow the alignment of a translation, with one crossing where
// French swaps the word order. The SVG is made here and rendered by Chromium (playwright-core,
// the browser scripts/vscode/setup.sh installs), so the PNG can be made again after a change.
// Usage: node scripts/package-icon.mjs [--out media/icon.png]
import { chromium } from 'playwright-core';
import { writeFileSync } from 'node:fs';

const SIZE = 256;
const out = process.argv.includes('--out')
  ? process.argv[process.argv.indexOf('--out') + 1]
  : 'media/icon.png';

/** Attention weights, one row per query; each row sums to about 1. */
const WEIGHTS = [
  [0.86, 0.08, 0.03, 0.02, 0.01],
  [0.1, 0.74, 0.1, 0.04, 0.02],
  [0.03, 0.08, 0.14, 0.7, 0.05],
  [0.02, 0.06, 0.72, 0.12, 0.08],
  [0.01, 0.03, 0.06, 0.1, 0.8],
];

/** Dark blue (weight 0) through violet and orange to pale yellow (weight 1), like magma. */
const STOPS = [
  [0, [31, 27, 66]],
  [0.25, [96, 41, 122]],
  [0.5, [188, 55, 104]],
  [0.75, [247, 126, 60]],
  [1, [252, 236, 146]],
];

function colour(w) {
  const i = Math.max(
    1,
    STOPS.findIndex(([at]) => at >= w),
  );
  const [a, ca] = STOPS[i - 1];
  const [b, cb] = STOPS[i];
  const t = (w - a) / (b - a);
  const c = ca.map((v, k) => Math.round(v + (cb[k] - v) * t));
  return `rgb(${c.join(',')})`;
}

function svg() {
  const n = WEIGHTS.length;
  const margin = 34;
  const gap = 6;
  const cell = (SIZE - 2 * margin - (n - 1) * gap) / n;
  const cells = WEIGHTS.flatMap((row, q) =>
    row.map((w, k) => {
      const x = margin + k * (cell + gap);
      const y = margin + q * (cell + gap);
      // Low weights stay visible as faint squares: the grid reads as a heatmap at 16 px too.
      return `<rect x="${x}" y="${y}" width="${cell}" height="${cell}" rx="6" fill="${colour(0.08 + 0.92 * w)}"/>`;
    }),
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}" viewBox="0 0 ${SIZE} ${SIZE}">
  <rect width="${SIZE}" height="${SIZE}" rx="40" fill="#14122b"/>
  ${cells.join('\n  ')}
</svg>`;
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
try {
  const page = await browser.newPage({ viewport: { width: SIZE, height: SIZE } });
  await page.setContent(
    `<html><body style="margin:0;background:transparent">${svg()}</body></html>`,
  );
  const png = await page.locator('svg').screenshot({ omitBackground: true });
  writeFileSync(out, png);
  console.log(`wrote ${out} (${SIZE} × ${SIZE}, ${png.length} bytes)`);
} finally {
  await browser.close();
}
