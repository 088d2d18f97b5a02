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

/** The document being composed: its parts so far, the next baseline and the widest line. */
interface Doc {
  parts: string[];
  y: number;
  width: number;
  o: ComposeOptions;
}

interface TextStyle {
  color?: string;
  weight?: string;
  anchor?: string;
}

function text(d: Doc, x: number, y: number, s: string, size: number, opts: TextStyle = {}): void {
  d.parts.push(
    `<text x="${round(x)}" y="${round(y)}" font-size="${size}" fill="${escapeXml(
      opts.color ?? d.o.foreground,
    )}"${opts.weight ? ` font-weight="${opts.weight}"` : ''}${
      opts.anchor ? ` text-anchor="${opts.anchor}"` : ''
    }>${escapeXml(s)}</text>`,
  );
}

/** The title, the subtitle, and the colour legend with its note. */
function composeHeader(d: Doc): void {
  const { o } = d;
  const fs = o.fontSize;
  d.y += fs * 1.4;
  text(d, MARGIN, d.y, o.title, fs * 1.4, { weight: 'bold' });
  d.width = Math.max(d.width, MARGIN * 2 + o.title.length * fs * 0.8);
  if (o.subtitle) {
    d.y += fs * 1.6;
    text(d, MARGIN, d.y, o.subtitle, fs, { color: o.muted });
    d.width = Math.max(d.width, MARGIN * 2 + o.subtitle.length * fs * 0.6);
  }
  d.y += fs;
  if (o.legendSvg) {
    const size = svgSize(o.legendSvg);
    d.parts.push(placeSvg(o.legendSvg, MARGIN, d.y));
    if (o.legendNote) {
      const x = MARGIN + size.width + 12;
      text(d, x, d.y + fs * 1.2, o.legendNote, fs * 0.9, { color: o.muted });
    }
    d.y += size.height + fs * 0.5;
    d.width = Math.max(d.width, MARGIN + size.width + 12 + (o.legendNote?.length ?? 0) * fs * 0.55);
  }
}

/** A section: its heading and caption, "Head n" over the columns, "Layer n" by the rows. */
function composeSection(d: Doc, section: ComposeSection): void {
  const fs = d.o.fontSize;
  d.y += fs * 2;
  text(d, MARGIN, d.y, section.title, fs * 1.15, { weight: 'bold' });
  if (section.caption) {
    d.y += fs * 1.4;
    text(d, MARGIN, d.y, section.caption, fs * 0.9, { color: d.o.muted });
  }
  d.y += fs * 0.8;
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
  d.width = Math.max(d.width, x - GAP + MARGIN);
  // Column headers, over the right-aligned charts.
  d.y += fs;
  colW.forEach((w, c) => {
    const centre = section.plotWidth
      ? colX[c] + w - CHART_PADDING - section.plotWidth / 2
      : colX[c] + w / 2;
    text(d, centre, d.y, `Head ${c + 1}`, fs * 0.9, { anchor: 'middle' });
  });
  d.y += fs * 0.6;
  rowH.forEach((h, r) => {
    const middle = section.plotHeight ? CHART_PADDING + section.plotHeight / 2 + fs * 0.35 : fs;
    text(d, MARGIN, d.y + middle, `Layer ${r + 1}`, fs * 0.9);
    for (const s of sizes.filter((c) => c.row === r)) {
      d.parts.push(placeSvg(s.svg, colX[s.col] + colW[s.col] - s.width, d.y));
    }
    d.y += h + GAP;
  });
}

export function composeSvg(o: ComposeOptions): string {
  const d: Doc = { parts: [], y: MARGIN, width: 0, o };
  composeHeader(d);
  for (const section of o.sections) composeSection(d, section);
  const height = Math.ceil(d.y + MARGIN);
  const width = Math.ceil(d.width);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" ` +
    `width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `font-family="${escapeXml(o.fontFamily)}">` +
    `<rect width="100%" height="100%" fill="${escapeXml(o.background)}"/>` +
    d.parts.join('') +
    `</svg>`
  );
}
