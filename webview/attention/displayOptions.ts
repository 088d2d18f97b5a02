/**
 * How the heatmaps are drawn: the colour legend (with the masked cells' key), the colour scale
 * (0 to the largest weight shown, or 0 to 1), whether the <pad> positions show, and "Show as
 * table" (each heatmap as a table of its weights).
 */
import type { ScaleMode } from '../specs/attentionView';
import { maskedKey } from '../shared/colorLegend';
import { h } from '../shared/dom';
import { toolbar } from '../shared/layout';
import { toggleButton } from '../shared/toggleButton';

export interface DisplayOptions {
  element: HTMLElement;
  render(scale: ScaleMode, showPadding: boolean, showTable: boolean): void;
}

export function createDisplayOptions(
  legend: HTMLElement,
  handlers: {
    onScale(scale: ScaleMode): void;
    onPadding(show: boolean): void;
    onTable(show: boolean): void;
  },
): DisplayOptions {
  const scaleSelect = h(
    'select',
    { id: 'scale', class: 'select' },
    h('option', { value: 'max' }, '0 – largest weight'),
    h('option', { value: 'one' }, '0 – 1'),
  );
  const paddingBox = h('input', { type: 'checkbox', id: 'show-padding', checked: true });
  scaleSelect.addEventListener('change', () =>
    handlers.onScale(scaleSelect.value === 'one' ? 'one' : 'max'),
  );
  paddingBox.addEventListener('change', () => handlers.onPadding(paddingBox.checked));
  const table = toggleButton({
    id: 'show-table',
    text: 'Show as table',
    title: 'Each heatmap as a table of its weights (rows: queries, columns: keys)',
    onToggle: handlers.onTable,
  });
  return {
    element: toolbar(
      legend,
      maskedKey('padding, or a later step'),
      h('label', { for: 'scale', class: 'inline-label' }, 'Colour scale '),
      scaleSelect,
      h(
        'label',
        { for: 'show-padding', class: 'checkbox-label' },
        paddingBox,
        ' Show <pad> positions',
      ),
      table.element,
    ),
    render(scale, showPadding, showTable) {
      scaleSelect.value = scale;
      paddingBox.checked = showPadding;
      table.render(showTable);
    },
  };
}
