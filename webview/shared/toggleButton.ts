/**
 * A toggle button (`aria-pressed`), e.g. "Show as table". Its label stays the same whether it
 * is pressed or not, as the ARIA toggle-button pattern asks; it reports a press, the panel
 * changes its state and renders again. Styles: media/styles/controls.css (.toggle).
 */
import { h } from './dom';

export interface ToggleButton {
  element: HTMLButtonElement;
  render(pressed: boolean): void;
}

export function toggleButton(o: {
  id: string;
  text: string;
  /** What pressing it does (its hover text). */
  title: string;
  onToggle(pressed: boolean): void;
}): ToggleButton {
  const button = h(
    'button',
    {
      type: 'button',
      class: 'secondary toggle',
      id: o.id,
      title: o.title,
      'aria-pressed': 'false',
    },
    o.text,
  );
  button.addEventListener('click', () =>
    o.onToggle(button.getAttribute('aria-pressed') !== 'true'),
  );
  return {
    element: button,
    render(pressed) {
      button.setAttribute('aria-pressed', String(pressed));
    },
  };
}
