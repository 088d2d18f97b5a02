/** The chart theme of the page now, and a callback when VS Code switches theme. */
import { ChartTheme, chartThemeFrom, themeKindFromClasses } from '../specs/theme';

export function currentTheme(): ChartTheme {
  const style = getComputedStyle(document.documentElement);
  return chartThemeFrom(
    (name) => style.getPropertyValue(name),
    themeKindFromClasses([...document.body.classList]),
  );
}

/**
 * VS Code changes the body's class (vscode-light / vscode-dark / vscode-high-contrast) and the
 * --vscode-* variables on <html> when the theme changes. Calls `onChange` with the new theme
 * once per change (debounced), only when a colour or font the charts use actually changed.
 */
export function watchTheme(onChange: (theme: ChartTheme) => void): void {
  let last = JSON.stringify(currentTheme());
  let timer: ReturnType<typeof setTimeout> | undefined;
  const check = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const theme = currentTheme();
      const key = JSON.stringify(theme);
      if (key === last) return;
      last = key;
      onChange(theme);
    }, 50);
  };
  const observer = new MutationObserver(check);
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
}
