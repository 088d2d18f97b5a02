/**
 * "Export all maps": everything shown as one composed PNG or SVG (title, legend, each section's
 * layer × head grid), or the maps and the translation as JSON.
 */
import type { ExportMessage } from '../../src/shared/protocol';
import type { DisplayedView } from '../specs/attentionView';
import type { ChartTheme } from '../specs/theme';
import type { ColorLegend } from '../shared/colorLegend';
import { composeSvg } from '../shared/compose';
import { ExportToolbar, exportToolbar, svgToPng } from '../shared/exportToolbar';
import type { HeatmapSections } from './heatmapSections';

export interface ExportSource {
  displayed(): DisplayedView | null;
  sections: HeatmapSections;
  legend: ColorLegend;
  theme(): ChartTheme;
}

/** PNGs are rasterised at twice the size on screen. */
const PNG_SCALE = 2;

export function createAttentionExports(src: ExportSource): ExportToolbar {
  return exportToolbar('Export all maps:', 'export-status', [
    {
      id: 'export-png',
      text: 'PNG',
      title: 'Every map shown, as one PNG image (twice the size on screen)',
      make: async () => {
        const { svg, d } = await composed(src);
        return message('png', `${d.fileBase}.png`, await svgToPng(svg, PNG_SCALE));
      },
    },
    {
      id: 'export-svg',
      text: 'SVG',
      title: 'Every map shown, as one SVG image',
      make: async () => {
        const { svg, d } = await composed(src);
        return message('svg', `${d.fileBase}.svg`, svg);
      },
    },
    {
      id: 'export-json',
      text: 'JSON',
      title: 'The attention weights shown and their tokens, as JSON',
      make: () => {
        const d = src.displayed();
        if (!d) throw new Error('nothing to export');
        return message('json', `${d.fileBase}.json`, `${JSON.stringify(jsonOf(d), null, 2)}\n`);
      },
    },
  ]);
}

function message(format: ExportMessage['format'], name: string, content: string): ExportMessage {
  return { type: 'export', format, suggestedName: name, content };
}

async function composed(src: ExportSource): Promise<{ svg: string; d: DisplayedView }> {
  const d = src.displayed();
  if (!d || src.sections.count() === 0) throw new Error('nothing to export');
  const theme = src.theme();
  const svg = composeSvg({
    title: d.title,
    subtitle: d.subtitle,
    legendSvg: await src.legend.svg(),
    legendNote: 'pale cells: masked (padding, or a later step)',
    sections: await src.sections.composeSections(),
    background: theme.background,
    foreground: theme.foreground,
    muted: theme.mutedForeground,
    fontFamily: theme.fontFamily,
    fontSize: theme.fontSize,
  });
  return { svg, d };
}

function jsonOf(d: DisplayedView): Record<string, unknown> {
  const c = d.item;
  return {
    view: d.view,
    ...(d.epoch !== undefined ? { epoch: d.epoch } : {}),
    ...(c
      ? {
          source: c.source,
          translation: c.translation,
          reference: c.reference,
          bleu: c.bleu,
          unknownTokens: c.unknownTokens,
        }
      : {}),
    maps: d.maps,
  };
}
