/**
 * Composes several charts' SVG markup (vega's `view.toSVG()`) into one SVG document laid out like
 * the attention panel: a title, the colour legend, then per section a heading, "Head n" column
 * headers, "Layer n" row headers and the heatmaps. Pure string work (no DOM), so it is tested in
 * Node and the PNG export rasterises the same markup.
 */

export interface ComposeChart {
  row: number;
  col: number;
  svg: string;
}

export interface ComposeSection {
  title: string;
  caption?: string;
  rows: number;
  cols: number;
  charts: ComposeChart[];
  /** Size of one plot area (without axes): centres the headers on it; charts are right-aligned. */
  plotWidth?: number;
  plotHeight?: number;
}

export interface ComposeOptions {
  title: string;
  subtitle?: string;
  legendSvg?: string;
  legendNote?: string;
  sections: ComposeSection[];
  background: string;
  foreground: string;
  muted: string;
  fontFamily: string;
  fontSize: number;
}

export function escapeXml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Width and height of an <svg> root element (its width/height attributes). */
export function svgSize(svg: string): { width: number; height: number } {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0] ?? '';
  const num = (attr: string): number => {
    const m = new RegExp(`\\s${attr}="([0-9.]+)`).exec(root);
    return m ? Number.parseFloat(m[1]) : 0;
  };
  return { width: num('width'), height: num('height') };
}

/** Places an SVG document at (x, y) inside another: the root <svg> becomes a nested one. */
export function placeSvg(svg: string, x: number, y: number): string {
  const body = svg.replace(/^\s*<\?xml[^>]*\?>\s*/, '');
  return body.replace(/<svg\b/, `<svg x="${round(x)}" y="${round(y)}"`);
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

const MARGIN = 16;
const GAP = 6;
const ROW_HEADER = 64;
/** Vega-Lite `config.padding` of the charts (see specs/theme.ts). */
const CHART_PADDING = 4;

export function composeSvg(o: ComposeOptions): string {
  const parts: string[] = [];
  const fs = o.fontSize;
  const text = (
    x: number,
    y: number,
    s: string,
    size: number,
    opts: { color?: string; weight?: string; anchor?: string } = {},
  ): void => {
    parts.push(
      `<text x="${round(x)}" y="${round(y)}" font-size="${size}" fill="${escapeXml(
        opts.color ?? o.foreground,
      )}"${opts.weight ? ` font-weight="${opts.weight}"` : ''}${
        opts.anchor ? ` text-anchor="${opts.anchor}"` : ''
      }>${escapeXml(s)}</text>`,
    );
  };

  let y = MARGIN;
  let width = 0;
  y += fs * 1.4;
  text(MARGIN, y, o.title, fs * 1.4, { weight: 'bold' });
  width = Math.max(width, MARGIN * 2 + o.title.length * fs * 0.8);
  if (o.subtitle) {
    y += fs * 1.6;
    text(MARGIN, y, o.subtitle, fs, { color: o.muted });
    width = Math.max(width, MARGIN * 2 + o.subtitle.length * fs * 0.6);
  }
  y += fs;
  if (o.legendSvg) {
    const size = svgSize(o.legendSvg);
    parts.push(placeSvg(o.legendSvg, MARGIN, y));
    if (o.legendNote) {
      text(MARGIN + size.width + 12, y + fs * 1.2, o.legendNote, fs * 0.9, { color: o.muted });
    }
    y += size.height + fs * 0.5;
    width = Math.max(width, MARGIN + size.width + 12 + (o.legendNote?.length ?? 0) * fs * 0.55);
  }

  for (const section of o.sections) {
    y += fs * 2;
    text(MARGIN, y, section.title, fs * 1.15, { weight: 'bold' });
    if (section.caption) {
      y += fs * 1.4;
      text(MARGIN, y, section.caption, fs * 0.9, { color: o.muted });
    }
    y += fs * 0.8;
    const sizes = section.charts.map((c) => ({ ...c, ...svgSize(c.svg) }));
    const colW = Array.from({ length: section.cols }, (_, c) =>
      Math.max(0, ...sizes.filter((s) => s.col === c).map((s) => s.width)),
    );
    const rowH = Array.from({ length: section.rows }, (_, r) =>
      Math.max(0, ...sizes.filter((s) => s.row === r).map((s) => s.height)),
    );
    const colX: number[] = [];
    let x = MARGIN + ROW_HEADER;
    for (const w of colW) {
      colX.push(x);
      x += w + GAP;
    }
    width = Math.max(width, x - GAP + MARGIN);
    // Column headers, over the right-aligned charts.
    y += fs;
    colW.forEach((w, c) => {
      const centre = section.plotWidth
        ? colX[c] + w - CHART_PADDING - section.plotWidth / 2
        : colX[c] + w / 2;
      text(centre, y, `Head ${c + 1}`, fs * 0.9, { anchor: 'middle' });
    });
    y += fs * 0.6;
    let rowY = y;
    rowH.forEach((h, r) => {
      const middle = section.plotHeight ? CHART_PADDING + section.plotHeight / 2 + fs * 0.35 : fs;
      text(MARGIN, rowY + middle, `Layer ${r + 1}`, fs * 0.9);
      for (const s of sizes.filter((c) => c.row === r)) {
        parts.push(placeSvg(s.svg, colX[s.col] + colW[s.col] - s.width, rowY));
      }
      rowY += h + GAP;
    });
    y = rowY;
  }
  const height = Math.ceil(y + MARGIN);
  width = Math.ceil(width);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" ` +
    `width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `font-family="${escapeXml(o.fontFamily)}">` +
    `<rect width="100%" height="100%" fill="${escapeXml(o.background)}"/>` +
    parts.join('') +
    `</svg>`
  );
}
