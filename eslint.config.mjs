// ESLint flat config: typescript-eslint's recommended rules over src/, webview/, test/ and scripts/,
// and the layer picture of docs/architecture.md (which folder may import which).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** The extension host's rooms: they run inside VS Code's extension host process. */
const HOST = [
  'src/extension.ts',
  'src/extensionApi.ts',
  'src/host/**',
  'src/panels/**',
  'src/commands/**',
  'src/views/**',
];

const forbid = (regex, message, allowTypeImports = false) => ({ regex, message, allowTypeImports });

/** The layers (docs/architecture.md). Type-only imports are free where allowTypeImports says so:
 * they vanish from the JavaScript. The bundle test (test/unit/bundle.test.ts) checks what these
 * rules cannot: that nothing reaches tfjs through a chain of imports. */
const layers = [
  {
    // The core: plain Node, shared by the worker threads, the CLI and the tests.
    files: ['src/**/*.ts'],
    ignores: HOST,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'The core runs outside VS Code: no vscode here.' }],
          patterns: [
            forbid(
              '(^|/)(host|panels|commands|views)/|(^|/)extension(Api)?$',
              'The core must not import the extension host (src/host, src/panels, src/commands, src/views).',
            ),
            forbid('(^|/)webview/', 'The core must not import the webviews.'),
          ],
        },
      ],
    },
  },
  {
    // The extension host: VS Code APIs, never TensorFlow.js (it runs in worker threads).
    files: HOST,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            forbid('^@tensorflow/', 'TensorFlow.js runs only in worker threads (src/worker).'),
            forbid(
              '(^|/)(model|train|decode|explore|worker)/|(^|/)backend/backend$|(^|/)checkpoint/checkpoint$',
              'These modules load TensorFlow.js, which runs only in worker threads: ' +
                'import their types, or ask a worker (src/host/workerClient.ts).',
              true,
            ),
            forbid(
              '(^|/)webview/',
              'The host talks to the webviews by messages (src/shared/protocol.ts).',
            ),
          ],
        },
      ],
    },
  },
  {
    // The webviews: browser bundles that talk to the host only by messages.
    files: ['webview/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'vscode',
              message: 'A webview has no vscode module: post a message (src/shared/protocol.ts).',
            },
          ],
          patterns: [
            forbid('^node:', 'Webviews run in a browser: no Node modules.'),
            forbid('^@tensorflow/', 'TensorFlow.js runs only in worker threads (src/worker).'),
            // Values from src/ only from src/shared/ and five small pure modules that the core
            // shares with the webviews (the attention panel computes head statistics and the
            // rollout from the maps it has); types from anywhere.
            forbid(
              '(^|/)src/(?!shared/|config/hyperparameters$|decode/attentionMaps$|runs/runLabel$|explore/headStats$|explore/rollout$)',
              'Webviews import webview/ and src/shared/ (and types from elsewhere in src/).',
              true,
            ),
          ],
        },
      ],
    },
  },
];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'out/', 'media/dist/', '.cache/', '.checkpoints/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        Buffer: 'readonly',
        __dirname: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setImmediate: 'readonly',
        URL: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // Functions passed to Playwright's page.evaluate / waitForFunction run in the browser.
    files: ['test/e2e/**', 'test/vscode/**'],
    languageOptions: { globals: { document: 'readonly', window: 'readonly' } },
  },
  ...layers,
);
