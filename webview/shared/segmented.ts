/**
 * A segmented switch: a group of buttons of which one is pressed (`aria-pressed`), e.g. which
 * attention the panel shows. It reports a press; the panel changes its state and renders again.
 */
import { h } from './dom';

export interface SegmentOption<T extends string> {
  value: T;
  text: string;
  id: string;
}

export interface Segmented<T extends string> {
  element: HTMLElement;
  /** Presses `selected` (none with null) and disables the options listed in `disabled`. */
  render(selected: T | null, disabled?: readonly T[]): void;
}

export function segmented<T extends string>(o: {
  /** What the group chooses (its aria-label). */
  label: string;
  options: readonly SegmentOption<T>[];
  onSelect(value: T): void;
}): Segmented<T> {
  const buttons = o.options.map((option) => {
    const b = h(
      'button',
      { type: 'button', class: 'segment', id: option.id, 'aria-pressed': 'false' },
      option.text,
    );
    b.addEventListener('click', () => o.onSelect(option.value));
    return b;
  });
  return {
    element: h('div', { class: 'segmented', role: 'group', 'aria-label': o.label }, buttons),
    render(selected, disabled = []) {
      o.options.forEach((option, i) => {
        buttons[i].setAttribute('aria-pressed', String(option.value === selected));
        buttons[i].disabled = disabled.includes(option.value);
      });
    },
  };
}
