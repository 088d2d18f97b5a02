// ESLint flat config: typescript-eslint's recommended rules over src/, webview/, test/ and scripts/.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
);
