// Builds the .vsix (what `npm run package` runs), from a fresh clone as well, never asking
// anything: vsce runs `vscode:prepublish` (the build), packages what .vscodeignore allows, and
// then the .vsix is checked against scripts/package-contents.mjs (only allowed files, sizes).
// vsce asks "Do you want to continue? [y/N]" when metadata is missing (repository, LICENSE):
// here it gets no terminal to ask on, and any warning of its fails the packaging instead, so
// missing metadata is found by `npm test`, not by the next person who packages.
// Usage: node scripts/package.mjs [--out FILE]   (default: <name>-<version>.vsix here)
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readVsix, vsixProblems } from './package-contents.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { name, version, repository } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
// The README's relative links (screenshots in docs/images/, CONTRIBUTING.md, docs/) become
// absolute on the Marketplace page: vsce guesses the base only for GitHub/GitLab URLs and
// otherwise refuses to package, so it is given from package.json's repository.
const web = repository.url.replace(/\.git$/, '');
const argv = process.argv.slice(2);
const out = resolve(
  argv.includes('--out') ? argv[argv.indexOf('--out') + 1] : `${name}-${version}.vsix`,
);

const fail = (message) => {
  console.error(`[package] ${message}`);
  process.exit(1);
};

// vsce writes into the folder but does not create it (ENOENT on a fresh clone).
mkdirSync(dirname(out), { recursive: true });
const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
const baseUrls = ['--baseContentUrl', `${web}/blob/HEAD`, '--baseImagesUrl', `${web}/raw/HEAD`];
const run = spawnSync(process.execPath, [vsce, 'package', '--out', out, ...baseUrls], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'pipe'],
  encoding: 'utf8',
  timeout: 600_000,
  env: { ...process.env, NO_COLOR: '1' },
});
const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
process.stdout.write(output);
if (run.error) fail(`vsce did not run: ${run.error.message}`);
if (run.status !== 0) fail(`vsce package failed (exit ${run.status ?? run.signal})`);
const warnings = output
  .split('\n')
  .filter((line) => /\bWARNING\b/.test(line))
  .map((line) => line.replace(/\x1b\[[0-9;]*m/g, '').trim()); // eslint-disable-line no-control-regex
if (warnings.length) {
  fail(`vsce warned (each warning is a question in a terminal):\n  ${warnings.join('\n  ')}`);
}

const { entries, bytes } = readVsix(out);
const problems = vsixProblems(entries, bytes);
if (problems.length) {
  fail(
    `${relative(root, out)} is not what ships:\n  ${problems.join('\n  ')}\n` +
      'Ship only files the extension loads: .vscodeignore and scripts/package-contents.mjs list them.',
  );
}
const shown = relative(process.cwd(), out);
console.log(
  `[package] ${shown.startsWith('..') ? out : shown}: ${entries.length} files, ` +
    `${(bytes / 1e6).toFixed(2)} MB, allow-list and size limits checked`,
);
