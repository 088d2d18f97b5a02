/**
 * The webview's pure parts: the Vega-Lite spec builders (structure, and that each compiles with
 * vega-lite without warnings and runs in a headless vega View), the chart theme, the attention
 * sections, formatting and the SVG composition used by the export.
 */
import { strict as assert } from 'node:assert';
import type { AttentionMaps } from '../../src/decode/attentionMaps';
import type { EpochPoint } from '../../src/shared/protocol';
import { attentionSections, heatmapCount, sliceGrid } from '../../webview/specs/attentionSections';
import {
  attentionValues,
  colorLegendSpec,
  HEATMAP_CELLS,
  HEATMAP_MASKED,
  heatmapSpec,
  matrixValues,
  maxWeight,
  positionLabels,
  splitMasked,
  TOOLTIP_TITLES,
} from '../../webview/specs/heatmap';
import { LOSS_DATASET, lossCurveSpec } from '../../webview/specs/lossCurve';
import {
  ChartTheme,
  chartThemeFrom,
  parsePixels,
  themeKindFromClasses,
  vegaLiteConfig,
} from '../../webview/specs/theme';
import { composeSvg, escapeXml, placeSvg, svgSize } from '../../webview/shared/compose';
import {
  formatBleu,
  formatDuration,
  formatInteger,
  progressOf,
  slug,
} from '../../webview/shared/format';
import { compileAndRun } from '../helpers/vega';

const VARS: Record<string, string> = {
  '--vscode-editor-foreground': '#cccccc',
  '--vscode-editor-background': '#1f1f1f',
  '--vscode-descriptionForeground': '#9d9d9d',
  '--vscode-font-family': 'system-ui, sans-serif',
  '--vscode-editor-font-family': '"Droid Sans Mono", monospace',
  '--vscode-font-size': '13px',
  '--vscode-charts-blue': '#3794ff',
  '--vscode-editorWidget-border': '#454545',
};
const theme: ChartTheme = chartThemeFrom((n) => VARS[n] ?? '', 'dark');

/** 2 layers × 4 heads; source `go . <eos> <pad>` (3 valid), decoder `<bos> va !`. */
function fakeMaps(): AttentionMaps {
  const grid = (q: number, k: number, masked: (qi: number, ki: number) => boolean) =>
    Array.from({ length: 2 }, (_, l) =>
      Array.from({ length: 4 }, (_, h) =>
        Array.from({ length: q }, (_, qi) =>
          Array.from({ length: k }, (_, ki) =>
            masked(qi, ki) ? null : ((l + h + qi + ki) % 5) / 10 + 0.05,
          ),
        ),
      ),
    );
  return {
    sourceTokens: ['go', '.', '<eos>', '<pad>'],
    sourceValidLen: 3,
    targetInputTokens: ['<bos>', 'va', '!'],
    outputTokens: ['va', '!', '<eos>'],
    encoderSelf: grid(4, 4, (_q, k) => k >= 3),
    decoderSelf: grid(3, 3, (q, k) => k > q),
    encoderDecoder: grid(3, 4, (_q, k) => k >= 3),
  };
}

describe('webview specs', () => {
  describe('theme', () => {
    it('maps VS Code body classes to a theme kind', () => {
      assert.equal(themeKindFromClasses(['vscode-light']), 'light');
      assert.equal(themeKindFromClasses(['vscode-dark']), 'dark');
      assert.equal(themeKindFromClasses(['vscode-high-contrast']), 'high-contrast');
      assert.equal(
        themeKindFromClasses(['vscode-high-contrast', 'vscode-high-contrast-light']),
        'high-contrast-light',
      );
      assert.equal(themeKindFromClasses([]), 'light');
    });

    it('reads colours and fonts from the CSS variables', () => {
      assert.equal(theme.foreground, '#cccccc');
      assert.equal(theme.background, '#1f1f1f');
      assert.equal(theme.mutedForeground, '#9d9d9d');
      assert.equal(theme.accent, '#3794ff');
      assert.equal(theme.monoFontFamily, '"Droid Sans Mono", monospace');
      assert.equal(theme.fontSize, 13);
      assert.equal(theme.heatScheme, 'viridis');
      const config = vegaLiteConfig(theme);
      assert.equal(config.background, '#1f1f1f');
      assert.equal(config.font, 'system-ui, sans-serif');
      assert.equal(config.axis?.labelColor, '#cccccc');
    });

    it('falls back per theme kind when variables are missing', () => {
      const light = chartThemeFrom(() => '', 'light');
      assert.equal(light.background, '#ffffff');
      assert.equal(light.heatScheme, 'blues');
      const hc = chartThemeFrom(() => '  ', 'high-contrast');
      assert.equal(hc.background, '#000000');
      assert.equal(hc.domainColor, hc.foreground);
      assert.equal(parsePixels('14px', 13), 14);
      assert.equal(parsePixels('', 13), 13);
      assert.equal(parsePixels('large', 12), 12);
    });
  });

  describe('attention values', () => {
    it('prefixes tokens with their position so repeats stay distinct', () => {
      assert.deepEqual(positionLabels(['go', '.', 'go']), ['0 go', '1 .', '2 go']);
    });

    it('flattens a (layer, head) matrix to rows, keeping null where masked', () => {
      const maps = fakeMaps();
      const rows = attentionValues(maps.encoderSelf, 1, 2, maps.sourceTokens, maps.sourceTokens);
      assert.equal(rows.length, 16);
      assert.deepEqual(rows[1], {
        q: '0 go',
        k: '1 .',
        qi: 0,
        ki: 1,
        weight: maps.encoderSelf[1][2][0][1],
      });
      assert.equal(rows.filter((r) => r.weight === null).length, 4);
      const { cells, masked } = splitMasked(rows);
      assert.equal(cells.length, 12);
      assert.ok(masked.every((r) => r.weight === null && r.status === 'masked' && r.ki === 3));
    });

    it('finds the largest weight over several grids', () => {
      const maps = fakeMaps();
      assert.equal(maxWeight([maps.encoderSelf, maps.decoderSelf]), 0.45);
      assert.equal(maxWeight([]), 0);
    });

    it('treats non-finite weights as masked', () => {
      const rows = matrixValues([[0.5, Number.NaN]], ['a'], ['b', 'c']);
      assert.equal(rows[1].weight, null);
    });
  });

  describe('heatmapSpec', () => {
    const maps = fakeMaps();
    const spec = heatmapSpec({
      queries: maps.targetInputTokens,
      keys: maps.sourceTokens,
      weights: maps.encoderDecoder[0][1],
      theme,
      domainMax: 0.8,
      cellSize: 12,
    });
    // The builders return vega-lite's TopLevelSpec; look inside through plain objects.
    const s = spec as unknown as {
      width: number;
      height: number;
      datasets: Record<string, { q: string; k: string; weight: number | null }[]>;
      encoding: Record<string, Record<string, unknown>>;
      layer: {
        data: { name: string };
        mark: { type: string };
        encoding: Record<string, unknown>;
      }[];
    };

    it('draws one rect per query × key, sized by the cell size', () => {
      assert.equal(s.width, 4 * 12);
      assert.equal(s.height, 3 * 12);
      assert.deepEqual(
        s.layer.map((l) => [l.mark.type, l.data.name]),
        [
          ['rect', HEATMAP_MASKED],
          ['rect', HEATMAP_CELLS],
        ],
      );
    });

    it('puts keys on x and queries on y, labelled with positions, in order', () => {
      type Channel = {
        field: string;
        type: string;
        scale: { domain: string[] };
        axis: { labelFont: string; labelAngle?: number };
      };
      const x = s.encoding.x as Channel;
      const y = s.encoding.y as Channel;
      assert.equal(x.field, 'k');
      assert.equal(x.type, 'ordinal');
      assert.deepEqual(x.scale.domain, ['0 go', '1 .', '2 <eos>', '3 <pad>']);
      assert.equal(y.field, 'q');
      assert.deepEqual(y.scale.domain, ['0 <bos>', '1 va', '2 !']);
      assert.equal(x.axis.labelFont, '"Droid Sans Mono", monospace');
      assert.equal(x.axis.labelAngle, -90);
      assert.equal(y.axis.labelFont, '"Droid Sans Mono", monospace');
    });

    it('keeps masked cells out of the coloured layer and in their own', () => {
      assert.equal(s.datasets[HEATMAP_CELLS].length, 9);
      assert.ok(s.datasets[HEATMAP_CELLS].every((r) => typeof r.weight === 'number'));
      assert.equal(s.datasets[HEATMAP_MASKED].length, 3);
      assert.ok(s.datasets[HEATMAP_MASKED].every((r) => r.k === '3 <pad>'));
    });

    it('shares one colour domain and shows query, key, weight (3 decimals) on hover', () => {
      const color = s.layer[1].encoding.color as {
        field: string;
        scale: { domain: number[]; scheme: string };
        legend: null;
      };
      assert.equal(color.field, 'weight');
      assert.deepEqual(color.scale.domain, [0, 0.8]);
      assert.equal(color.scale.scheme, 'viridis');
      assert.equal(color.legend, null);
      const tooltip = s.layer[1].encoding.tooltip as {
        field: string;
        title: string;
        format?: string;
      }[];
      assert.deepEqual(
        tooltip.map((t) => t.title),
        [TOOLTIP_TITLES.query, TOOLTIP_TITLES.key, TOOLTIP_TITLES.weight],
      );
      assert.equal(tooltip[2].format, '.3f');
    });

    it('defaults the colour domain to [0, 1] and can hide axes', () => {
      const bare = heatmapSpec({
        queries: ['a'],
        keys: ['b'],
        weights: [[1]],
        theme,
        showXLabels: false,
        showYLabels: false,
      }) as unknown as typeof s;
      const color = bare.layer[1].encoding.color as { scale: { domain: number[] } };
      assert.deepEqual(color.scale.domain, [0, 1]);
      assert.equal(bare.encoding.x.axis, null);
      assert.equal(bare.encoding.y.axis, null);
    });

    it('compiles without warnings and runs: both datasets, every cell drawn', async () => {
      const { view, dataNames } = await compileAndRun(spec);
      assert.ok(dataNames.includes(HEATMAP_CELLS) && dataNames.includes(HEATMAP_MASKED));
      assert.equal(view.data(HEATMAP_CELLS).length, 9);
      assert.equal(view.data(HEATMAP_MASKED).length, 3);
      const svg = await view.toSVG();
      const group = (name: string): string =>
        svg.slice(svg.indexOf(name), svg.indexOf('</g>', svg.indexOf(name)));
      assert.equal((group('layer_0_marks').match(/<path /g) ?? []).length, 3);
      assert.equal((group('layer_1_marks').match(/<path /g) ?? []).length, 9);
      assert.ok(svg.includes('0 &lt;bos&gt;'));
      view.finalize();
    });

    it('gives no cell an ARIA text of its own (the figure and the focused cell speak instead)', async () => {
      const { view } = await compileAndRun(spec);
      const svg = await view.toSVG();
      // vega-lite's default per mark was "k: 0 je; q: 0 i; weight: 0.7; query: 0 i; key: 0 je".
      assert.doesNotMatch(svg, /aria-label="[^"]*weight/);
      assert.doesNotMatch(svg, /aria-roledescription="rect"/);
      view.finalize();
    });

    it('compiles for every head of every kind of a real-shaped map', async () => {
      for (const section of attentionSections(fakeMaps())) {
        const spec2 = heatmapSpec({
          queries: section.queries,
          keys: section.keys,
          weights: section.grid[1][3],
          theme,
          showXLabels: false,
        });
        const { view } = await compileAndRun(spec2);
        view.finalize();
      }
    });
  });

  describe('colorLegendSpec', () => {
    it('compiles, spans the shared domain with the heatmap scheme', async () => {
      const spec = colorLegendSpec({ theme, domainMax: 0.6 }) as unknown as {
        encoding: { color: { scale: { domain: number[]; scheme: string } } };
      };
      assert.deepEqual(spec.encoding.color.scale.domain, [0, 0.6]);
      assert.equal(spec.encoding.color.scale.scheme, theme.heatScheme);
      const { view } = await compileAndRun(spec);
      view.finalize();
    });
  });

  describe('lossCurveSpec', () => {
    const point = (epoch: number, loss: number): EpochPoint => ({
      epoch,
      numEpochs: 200,
      lossPerToken: loss,
      tokensPerSecond: 20000,
      elapsedSeconds: epoch * 2,
      steps: epoch * 10,
    });

    it('reads a named dataset (for streaming) with a line and points', () => {
      const spec = lossCurveSpec([point(1, 5), point(2, 4)], theme) as unknown as {
        data: { name: string };
        datasets: Record<string, EpochPoint[]>;
        encoding: { x: { field: string; scale: { domain: number[] } }; y: { field: string } };
        layer: { mark: { type: string; color: string } }[];
      };
      assert.equal(LOSS_DATASET, 'points');
      assert.deepEqual(spec.data, { name: LOSS_DATASET });
      assert.equal(spec.datasets[LOSS_DATASET].length, 2);
      assert.equal(spec.encoding.x.field, 'epoch');
      assert.deepEqual(spec.encoding.x.scale.domain, [1, 200]);
      assert.equal(spec.encoding.y.field, 'lossPerToken');
      assert.deepEqual(
        spec.layer.map((l) => l.mark.type),
        ['line', 'point'],
      );
      assert.equal(spec.layer[0].mark.color, theme.accent);
    });

    it('compiles without warnings; inserting into the dataset extends the curve', async () => {
      const { view, dataNames } = await compileAndRun(
        lossCurveSpec([point(1, 5)], theme, { numEpochs: 200 }),
        [/Can not resolve event source: window/],
      );
      assert.ok(dataNames.includes(LOSS_DATASET));
      // One insert per run, as the panel does (pending changesets of one dataset do not add up).
      for (let e = 2; e <= 50; e++) await view.insert(LOSS_DATASET, [point(e, 5 / e)]).runAsync();
      assert.equal(view.data(LOSS_DATASET).length, 50);
      assert.deepEqual(view.scale('x').domain(), [1, 200]);
      view.finalize();
    });

    it('uses the points’ numEpochs when none is given', () => {
      const spec = lossCurveSpec([point(3, 1)], theme) as unknown as {
        encoding: { x: { scale: { domain?: number[] } } };
      };
      assert.deepEqual(spec.encoding.x.scale.domain, [1, 200]);
    });
  });

  describe('attentionSections', () => {
    it('labels each kind with the right tokens', () => {
      const maps = fakeMaps();
      const [enc, dec, cross] = attentionSections(maps);
      assert.deepEqual(
        [enc.kind, dec.kind, cross.kind],
        ['encoderSelf', 'decoderSelf', 'encoderDecoder'],
      );
      assert.deepEqual(enc.queries, maps.sourceTokens);
      assert.deepEqual(enc.keys, maps.sourceTokens);
      assert.deepEqual(dec.queries, maps.targetInputTokens);
      assert.deepEqual(dec.keys, maps.targetInputTokens);
      assert.deepEqual(cross.queries, maps.targetInputTokens);
      assert.deepEqual(cross.keys, maps.sourceTokens);
      assert.deepEqual([enc.layers, enc.heads], [2, 4]);
      assert.equal(heatmapCount(maps), 24);
    });

    it('can drop the padding positions of the source', () => {
      const [enc, dec, cross] = attentionSections(fakeMaps(), { hidePadding: true });
      assert.deepEqual(enc.keys, ['go', '.', '<eos>']);
      assert.equal(enc.grid[0][0].length, 3);
      assert.equal(enc.grid[0][0][0].length, 3);
      assert.equal(dec.grid[0][0].length, 3);
      assert.equal(cross.grid[1][3].length, 3);
      assert.equal(cross.grid[1][3][0].length, 3);
      assert.deepEqual(
        sliceGrid(
          [
            [
              [
                [1, 2],
                [3, 4],
              ],
            ],
          ],
          1,
          null,
        ),
        [[[[1, 2]]]],
      );
    });
  });

  describe('format', () => {
    it('formats durations, integers and BLEU', () => {
      assert.equal(formatDuration(9.4), '9s');
      assert.equal(formatDuration(75), '1m 15s');
      assert.equal(formatDuration(3725), '1h 02m');
      assert.equal(formatDuration(Number.NaN), '–');
      assert.equal(formatInteger(12345.6), '12,346');
      assert.equal(formatBleu(0.73412), '0.734');
      assert.equal(formatBleu(undefined), '–');
    });

    it('computes progress and ETA from the points', () => {
      const p = progressOf([
        {
          epoch: 10,
          numEpochs: 40,
          lossPerToken: 1,
          tokensPerSecond: 900,
          elapsedSeconds: 20,
          steps: 1,
        },
      ]);
      assert.equal(p.fraction, 0.25);
      assert.equal(p.etaSeconds, 60);
      assert.equal(p.tokensPerSecond, 900);
      const none = progressOf([], 200);
      assert.deepEqual([none.epoch, none.numEpochs, none.etaSeconds], [0, 200, null]);
    });

    it('makes file-name slugs', () => {
      assert.equal(slug("I'm home!"), 'i-m-home');
      assert.equal(slug('¿¡'), 'attention');
    });
  });

  describe('composeSvg (export)', () => {
    const chart = (w: number, h: number): string =>
      `<svg xmlns="http://www.w3.org/2000/svg" class="marks" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}"><rect width="1" height="1"/></svg>`;

    it('reads sizes and nests documents', () => {
      assert.deepEqual(svgSize(chart(120, 80)), { width: 120, height: 80 });
      assert.ok(placeSvg(chart(1, 1), 10, 20.5).startsWith('<svg x="10" y="20.5" xmlns'));
      assert.equal(escapeXml('<a & "b">'), '&lt;a &amp; &quot;b&quot;&gt;');
    });

    it('lays out sections of charts with titles and headers', () => {
      const svg = composeSvg({
        title: 'go . → va !',
        subtitle: 'Greedy <decoding>',
        legendSvg: chart(180, 30),
        legendNote: 'masked',
        sections: [
          {
            title: 'Encoder self-attention',
            rows: 2,
            cols: 2,
            plotWidth: 40,
            plotHeight: 40,
            charts: [0, 1].flatMap((row) =>
              [0, 1].map((col) => ({ row, col, svg: chart(60, 50) })),
            ),
          },
        ],
        background: '#fff',
        foreground: '#000',
        muted: '#666',
        fontFamily: 'sans-serif',
        fontSize: 13,
      });
      assert.equal((svg.match(/<svg x="/g) ?? []).length, 5);
      assert.ok(svg.includes('Greedy &lt;decoding&gt;'));
      assert.ok(svg.includes('>Head 2<') && svg.includes('>Layer 2<'));
      const { width, height } = svgSize(svg);
      assert.ok(width >= 16 + 64 + 2 * 60 && height > 2 * 50, `${width} × ${height}`);
    });
  });
});
