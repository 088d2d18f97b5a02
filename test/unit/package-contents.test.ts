/**
 * The .vsix ships only files the extension loads. scripts/package.mjs checks every .vsix it makes
 * with vsixProblems (npm test packages one); here: that check itself, and that vsce, given this
 * repository's .vscodeignore, picks no file outside the allow-list (node_modules, sources, the CLI,
 * dotfiles) whether or not it is told to leave dependencies out.
 */
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PANEL_ASSETS } from '../../src/panels/viewTypes';

const ROOT = path.resolve(__dirname, '..', '..');

interface Entry {
  name: string;
  size: number;
}
interface PackageContents {
  VSIX_FILES: string[];
  SIZE_LIMITS: { vsixBytes: number; fileBytes: number };
  vsixProblems(entries: Entry[], vsixBytes: number): string[];
}

const contents = (): Promise<PackageContents> =>
  import(pathToFileURL(path.join(ROOT, 'scripts', 'package-contents.mjs')).href);

/** Where vsce puts a file of the repository inside the .vsix. */
function vsixPath(file: string): string {
  const renamed: Record<string, string> = {
    'README.md': 'extension/readme.md',
    'CHANGELOG.md': 'extension/changelog.md',
    LICENSE: 'extension/LICENSE.txt',
  };
  return renamed[file] ?? `extension/${file}`;
}

describe('package contents (.vsix allow-list)', function () {
  this.timeout(60_000);
  let c: PackageContents;
  let good: Entry[];
  before(async () => {
    c = await contents();
    good = c.VSIX_FILES.map((name) => ({ name, size: 1000 }));
  });

  it('a .vsix of exactly the listed files, within the limits, passes', () => {
    assert.deepEqual(c.vsixProblems(good, 1.9e6), []);
  });

  it('names every file outside the allow-list', () => {
    const extra = [
      'extension/node_modules/fflate/package.json',
      'extension/dist/cli.js',
      'extension/.gitignore',
      'extension/src/extension.ts',
      'extension/dist/extension.js.map',
    ];
    const problems = c.vsixProblems([...good, ...extra.map((name) => ({ name, size: 1 }))], 1e6);
    assert.deepEqual(
      problems,
      extra.map((f) => `not in the allow-list: ${f}`),
    );
  });

  it('names a listed file that is missing (an unbuilt worker)', () => {
    const entries = good.filter((e) => e.name !== 'extension/dist/trainingWorker.js');
    assert.deepEqual(c.vsixProblems(entries, 1e6), ['missing: extension/dist/trainingWorker.js']);
  });

  it('refuses a worker bundle with all of @tensorflow/tfjs (4.9 MB) and a .vsix over its limit', () => {
    const entries = good.map((e) =>
      e.name === 'extension/dist/trainingWorker.js' ? { ...e, size: 4.9e6 } : e,
    );
    assert.deepEqual(c.vsixProblems(entries, 3.67e6), [
      'extension/dist/trainingWorker.js is 4.90 MB, over the 2.50 MB limit per file',
      'the .vsix is 3.67 MB, over its 2.50 MB limit',
    ]);
  });

  it("the webview files listed are exactly those the panels load (src/panels' PANEL_ASSETS)", () => {
    const loaded = new Set(
      Object.values(PANEL_ASSETS).flatMap((a) =>
        [a.script, ...a.styles].map((f) => `extension/media/${f}`),
      ),
    );
    const listed = c.VSIX_FILES.filter((f) => /^extension\/media\/(dist|styles)\//.test(f));
    assert.deepEqual([...listed].sort(), [...loaded].sort());
  });

  for (const manager of ['None', 'Npm'] as const) {
    it(`vsce with this .vscodeignore lists only allowed files (dependencies: ${manager})`, async () => {
      const vsce = await import('@vscode/vsce');
      const packageManager = vsce.PackageManager[manager];
      const files = await vsce.listFiles({ cwd: ROOT, packageManager });
      const outside = files.filter((f) => !c.VSIX_FILES.includes(vsixPath(f)));
      assert.deepEqual(outside, []);
      // Sources that always exist (dist/ only after a build): vsce does take them.
      for (const f of ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'media/icon.png'])
        assert.ok(files.includes(f), f);
    });
  }
});
