/**
 * The chart theme of the page, kept up to date: VS Code changes the body's class
 * (vscode-light / vscode-dark / vscode-high-contrast) and the --vscode-* variables on <html>
 * when the theme changes.
 */
import { ChartTheme, chartThemeFrom, themeKindFromClasses } from '../specs/theme';

/** Read from the page's computed style (what the charts should use right now). */
export function currentTheme(): ChartTheme {
  const style = getComputedStyle(document.documentElement);
  return chartThemeFrom(
    (name) => style.getPropertyValue(name),
    themeKindFromClasses([...document.body.classList]),
  );
}

let known: ChartTheme | null = null;

/** The theme the panel draws with: read once, then updated by watchTheme. */
export function chartTheme(): ChartTheme {
  known ??= currentTheme();
  return known;
}

/**
 * Calls `onChange` with the new theme once per change (debounced), only when a colour or font
 * the charts use actually changed; chartTheme() returns it from then on.
 */
export function watchTheme(onChange: (theme: ChartTheme) => void): void {
  let last = JSON.stringify(chartTheme());
  let timer: ReturnType<typeof setTimeout> | undefined;
  const check = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const theme = currentTheme();
      const key = JSON.stringify(theme);
      if (key === last) return;
      last = key;
      known = theme;
      onChange(theme);
    }, 50);
  };
  const observer = new MutationObserver(check);
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
}
