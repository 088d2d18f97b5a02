/**
 * Accessibility checks every panel's flow runs: text contrast (WCAG 2.1 AA: 4.5:1, 3:1 for large
 * text) of everything visible, computed from the page's own colours, and the keyboard focus
 * outline, in both high-contrast themes; with screenshots of the light one.
 */
import type { Page } from 'playwright-core';
import { setTheme } from './browser';
import type { FlowContext, Step } from './flow';
import { PanelPage, sleep } from './panelPage';
import { THEMES } from './themes';

export interface ContrastProblem {
  text: string;
  color: string;
  background: string;
  ratio: number;
  needed: number;
}

/**
 * Every visible text (HTML elements with text of their own, and the charts' SVG text) whose
 * colour, blended over the backgrounds behind it, is below the WCAG AA ratio. Disabled and faded
 * controls are left out, as WCAG leaves them out.
 */
export function contrastProblems(page: Page): Promise<ContrastProblem[]> {
  return page.evaluate(CONTRAST_SCRIPT) as Promise<ContrastProblem[]>;
}

/**
 * The audit, run in the page. A string, not a function: tsx would wrap the function's inner
 * helpers in its `__name`, which the page does not have.
 */
const CONTRAST_SCRIPT = `(() => {
  const parse = (c) => {
    const m = /rgba?\\(([^)]+)\\)/.exec(c);
    if (!m) return null;
    const p = m[1].split(/[\\s,/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const over = (t, u) => ({
    r: t.r * t.a + u.r * (1 - t.a),
    g: t.g * t.a + u.g * (1 - t.a),
    b: t.b * t.a + u.b * (1 - t.a),
    a: 1,
  });
  const lum = (c) => {
    const f = (v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const ratio = (a, b) => {
    const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const backgroundOf = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0) layers.push(c);
      if (c && c.a >= 1) break;
    }
    let bg = { r: 255, g: 255, b: 255, a: 1 };
    for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
    return bg;
  };
  const exempt = (el) => {
    if (el.closest(':disabled')) return true;
    for (let e = el; e; e = e.parentElement) {
      if (Number(getComputedStyle(e).opacity) < 1) return true;
    }
    return false;
  };
  const rgb = (c) => 'rgb(' + [c.r, c.g, c.b].map(Math.round).join(', ') + ')';
  const out = [];
  const check = (el, color, bg) => {
    const r = el.getBoundingClientRect();
    const cs = getComputedStyle(el);
    if (r.width <= 1 || r.height <= 1 || cs.visibility === 'hidden' || exempt(el)) return;
    const fg = parse(color);
    if (!fg) return;
    const size = Number.parseFloat(cs.fontSize);
    const large = size >= 24 || (Number(cs.fontWeight) >= 700 && size >= 18.66);
    const needed = large ? 3 : 4.5;
    const got = ratio(over(fg, bg), bg);
    if (got < needed) {
      const text = (el.textContent || '').trim().slice(0, 40);
      out.push({ text, color, background: rgb(bg), ratio: Math.round(got * 100) / 100, needed });
    }
  };
  for (const el of document.querySelectorAll('body *')) {
    if (el instanceof SVGElement) continue;
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (own) check(el, getComputedStyle(el).color, backgroundOf(el));
  }
  for (const t of document.querySelectorAll('svg text')) {
    if (!t.textContent.trim()) continue;
    const svg = t.closest('svg');
    check(t, getComputedStyle(t).fill, backgroundOf(svg ? svg.parentElement : null));
  }
  return out;
})()`;

/** The computed outline of the element that has the keyboard focus. */
export function focusOutline(page: Page): Promise<{ color: string; width: string; style: string }> {
  return page.evaluate(`(() => {
    const cs = getComputedStyle(document.activeElement || document.body);
    return { color: cs.outlineColor, width: cs.outlineWidth, style: cs.outlineStyle };
  })()`) as Promise<{ color: string; width: string; style: string }>;
}

/** `#rrggbb` → `rgb(r, g, b)` as getComputedStyle writes it. */
export function rgb(hexColor: string): string {
  const n = Number.parseInt(hexColor.slice(1, 7), 16);
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
}

/**
 * A step: in the dark, both high-contrast and the light theme (in that order, from the light
 * one), no text below AA contrast; in high contrast, Tab to a control draws a 2 px outline in
 * the theme's contrastActiveBorder; a screenshot in high contrast light. `charts`: the panel
 * re-renders its charts for a theme (wait for its `rendered`).
 */
export function highContrastChecks(charts: boolean): Step {
  return async ({ check, shoot }: FlowContext, p: PanelPage) => {
    const { page } = p;
    for (const name of ['dark', 'high-contrast', 'high-contrast-light', 'light'] as const) {
      const theme = THEMES[name];
      // Only what the page posts after the theme changes counts: a `rendered` left over from the
      // previous step let the contrast check run while the charts still had the last theme's
      // colours (white tick labels on white in high-contrast-light, seen once in CI under load).
      await p.skipPosted();
      await setTheme(page, theme);
      await (charts ? p.renderedSettled(`${name} theme`) : sleep(200));
      const problems = await contrastProblems(page);
      check(`${p.kind}: ${name}: every text at WCAG AA contrast`, problems.length === 0, problems);
      if (!name.startsWith('high-contrast')) continue;
      await page.locator('button:not([disabled]):visible').first().focus();
      await page.keyboard.press('Tab');
      await page.keyboard.press('Shift+Tab');
      const outline = await focusOutline(page);
      check(
        `${p.kind}: ${name}: the focus outline is 2 px of contrastActiveBorder`,
        outline.color === rgb(theme.vars['--vscode-contrastActiveBorder']) &&
          outline.width === '2px' &&
          outline.style !== 'none',
        outline,
      );
      if (name === 'high-contrast-light') await shoot(p, `${p.kind}-hc-light`);
    }
  };
}
