/**
 * The vscode-free parts of the panels: the HTML shell and its Content Security Policy, message
 * routing (validation, the ready handshake, export), and turning an export into file bytes.
 */
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { EXPORT_FILTERS, exportBytes, exportFileName } from '../../src/panels/exportFile';
import { routeWebviewMessage } from '../../src/panels/routing';
import {
  ATTENTION_VIEW_TYPE,
  COMPARE_VIEW_TYPE,
  PANEL_ASSETS,
  PANEL_TITLES,
  TRAINING_VIEW_TYPE,
  TRANSLATION_VIEW_TYPE,
  VIEW_TYPES,
} from '../../src/panels/viewTypes';
import {
  contentSecurityPolicy,
  createNonce,
  escapeHtml,
  webviewHtml,
} from '../../src/panels/webviewHtml';

const ROOT = path.resolve(__dirname, '../..');
const CSP_SOURCE = 'https://*.vscode-cdn.net';

// The smallest valid PNG (1×1, transparent).
const PNG_1x1 =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

describe('panels (vscode-free parts)', () => {
  describe('webviewHtml', () => {
    const nonce = createNonce();
    const html = webviewHtml({
      panel: 'attention',
      title: 'Transformer: Attention',
      cspSource: CSP_SOURCE,
      nonce,
      scripts: ['https://x.vscode-cdn.net/media/dist/attention.js'],
      styles: [
        'https://x.vscode-cdn.net/media/panel.css',
        'https://x.vscode-cdn.net/media/a"b.css',
      ],
    });

    it('makes a fresh 128-bit nonce per load', () => {
      const a = createNonce();
      assert.notEqual(a, createNonce());
      assert.equal(Buffer.from(a, 'base64').length, 16);
    });

    it('sets a strict CSP: nonce scripts only, no eval, no inline', () => {
      const csp = contentSecurityPolicy(CSP_SOURCE, 'abc');
      assert.equal(
        csp,
        `default-src 'none'; script-src 'nonce-abc'; style-src ${CSP_SOURCE}; ` +
          `img-src ${CSP_SOURCE} data: blob:; font-src ${CSP_SOURCE}`,
      );
      assert.ok(!/unsafe-eval|unsafe-inline/.test(html));
      assert.ok(
        html.includes(
          `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(CSP_SOURCE, nonce))}">`,
        ),
      );
    });

    it('loads every script with the nonce and every style as a file', () => {
      const scripts = html.match(/<script[^>]*>/g) ?? [];
      assert.equal(scripts.length, 1);
      assert.ok(scripts[0].includes(`nonce="${nonce}"`));
      assert.ok(scripts[0].includes('src="https://x.vscode-cdn.net/media/dist/attention.js"'));
      assert.equal((html.match(/<link rel="stylesheet"/g) ?? []).length, 2);
      assert.ok(html.includes('a&quot;b.css'), 'attribute values are escaped');
      assert.ok(!/<style|style="/.test(html), 'no inline styles');
      assert.ok(html.includes('<body data-panel="attention">'));
      assert.ok(html.includes('<title>Transformer: Attention</title>'));
    });
  });

  describe('view types and assets', () => {
    it('has one view type and title per panel', () => {
      assert.equal(TRAINING_VIEW_TYPE, 'transformerExplorer.training');
      assert.equal(TRANSLATION_VIEW_TYPE, 'transformerExplorer.translation');
      assert.equal(ATTENTION_VIEW_TYPE, 'transformerExplorer.attention');
      assert.equal(COMPARE_VIEW_TYPE, 'transformerExplorer.compareRuns');
      assert.deepEqual(Object.keys(VIEW_TYPES).sort(), [
        'attention',
        'compare',
        'heads',
        'training',
        'translation',
      ]);
      assert.equal(PANEL_TITLES.training, 'Transformer: Training');
      assert.equal(PANEL_TITLES.translation, 'Transformer: Translations');
      assert.equal(PANEL_TITLES.attention, 'Transformer: Attention');
      assert.equal(PANEL_TITLES.compare, 'Transformer: Compare Runs');
      assert.equal(PANEL_TITLES.heads, 'Transformer: Heads');
    });

    it('points at stylesheets and icons that exist in media/', () => {
      for (const assets of Object.values(PANEL_ASSETS)) {
        for (const css of assets.styles) assert.ok(existsSync(path.join(ROOT, 'media', css)), css);
        assert.match(assets.script, /^dist\/(training|translation|attention|compare|heads)\.js$/);
      }
      for (const icon of ['icon-light.svg', 'icon-dark.svg']) {
        assert.ok(existsSync(path.join(ROOT, 'media', icon)), icon);
      }
    });
  });

  describe('routeWebviewMessage', () => {
    it('answers ready and forwards it', () => {
      assert.deepEqual(routeWebviewMessage('training', { type: 'ready', panel: 'training' }), {
        action: 'forward',
        message: { type: 'ready', panel: 'training' },
        answerReady: true,
      });
    });

    it('forwards valid messages, without extra fields', () => {
      const r = routeWebviewMessage('translation', {
        type: 'showAttention',
        translationId: 3,
        extra: 'dropped',
      });
      assert.deepEqual(r, {
        action: 'forward',
        message: { type: 'showAttention', translationId: 3 },
        answerReady: false,
      });
      assert.equal(routeWebviewMessage('training', { type: 'cancelTraining' }).action, 'forward');
    });

    it("forwards an empty state's runCommand 'train', drops any other command", () => {
      assert.deepEqual(routeWebviewMessage('attention', { type: 'runCommand', command: 'train' }), {
        action: 'forward',
        message: { type: 'runCommand', command: 'train' },
        answerReady: false,
      });
      const other = { type: 'runCommand', command: 'workbench.action.closeWindow' };
      assert.equal(routeWebviewMessage('attention', other).action, 'drop');
    });

    it('keeps export for the panel itself', () => {
      const r = routeWebviewMessage('attention', {
        type: 'export',
        format: 'png',
        suggestedName: 'a.png',
        content: PNG_1x1,
      });
      assert.equal(r.action, 'export');
    });

    it('drops invalid messages with a reason, never throws', () => {
      for (const raw of [
        null,
        42,
        'ready',
        { type: 'nope' },
        { type: 'showAttention', translationId: -1 },
        { type: 'export', format: 'gif', suggestedName: 'a', content: '' },
        { type: 'export', format: 'svg', suggestedName: '../a.svg', content: '<svg/>' },
        { type: 'ready', panel: 'training' },
      ]) {
        const r = routeWebviewMessage('attention', raw);
        assert.equal(r.action, 'drop', JSON.stringify(raw));
        if (r.action === 'drop') assert.ok(r.error.length > 0);
      }
    });
  });

  describe('Compare Runs messages', () => {
    it('forwards run actions with valid run ids and compareAttention with two runs', () => {
      const id = 'run-3-20261125t101500';
      for (const type of ['makeRunCurrent', 'deleteRun'] as const) {
        assert.deepEqual(routeWebviewMessage('compare', { type, runId: id }), {
          action: 'forward',
          message: { type, runId: id },
          answerReady: false,
        });
      }
      assert.deepEqual(
        routeWebviewMessage('compare', {
          type: 'compareAttention',
          runIds: [id, 'run-4-20261125t102000'],
          sentence: "i'm home .",
        }),
        {
          action: 'forward',
          message: {
            type: 'compareAttention',
            runIds: [id, 'run-4-20261125t102000'],
            sentence: "i'm home .",
          },
          answerReady: false,
        },
      );
      assert.equal(
        routeWebviewMessage('compare', {
          type: 'export',
          format: 'csv',
          suggestedName: 'runs.csv',
          content: 'a,b\n1,2',
        }).action,
        'export',
      );
    });

    it('drops run ids that could leave the history folder, and bad comparisons', () => {
      for (const raw of [
        { type: 'deleteRun', runId: '../../etc' },
        { type: 'deleteRun', runId: 'Run 3' },
        { type: 'makeRunCurrent' },
        { type: 'compareAttention', runIds: ['run-1-a'], sentence: 'go .' },
        { type: 'compareAttention', runIds: ['run-1-a', '..'], sentence: 'go .' },
        { type: 'compareAttention', runIds: ['run-1-a', 'run-2-b'], sentence: '   ' },
        { type: 'compareAttention', runIds: ['run-1-a', 'run-2-b'], sentence: 'x'.repeat(5000) },
      ]) {
        assert.equal(routeWebviewMessage('compare', raw).action, 'drop', JSON.stringify(raw));
      }
    });
  });

  describe('exportBytes', () => {
    it('decodes a PNG data URL and checks the signature', () => {
      const bytes = exportBytes('png', PNG_1x1);
      assert.deepEqual([...bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
      assert.throws(() => exportBytes('png', 'data:image/png;base64,AAAA'), /not a PNG/);
      assert.throws(() => exportBytes('png', '<svg/>'), /data URL/);
    });

    it('writes svg and json as UTF-8', () => {
      assert.equal(
        Buffer.from(exportBytes('svg', '<svg>é</svg>')).toString('utf8'),
        '<svg>é</svg>',
      );
      assert.equal(Buffer.from(exportBytes('json', '{"a":1}')).toString('utf8'), '{"a":1}');
      assert.equal(Buffer.from(exportBytes('csv', 'a,"b"\n')).toString('utf8'), 'a,"b"\n');
      assert.deepEqual(EXPORT_FILTERS.csv, { CSV: ['csv'] });
    });

    it('names files with the format extension and filters by format', () => {
      assert.equal(exportFileName('png', 'attention-go'), 'attention-go.png');
      assert.equal(exportFileName('svg', 'x.SVG'), 'x.SVG');
      assert.equal(exportFileName('json', ' '), 'attention.json');
      assert.deepEqual(EXPORT_FILTERS.png, { 'PNG image': ['png'] });
    });
  });
});
