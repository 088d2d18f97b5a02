// What the .vsix may hold: exactly the files the extension loads (and the pages the Marketplace
// shows), each named, and no more bytes than SIZE_LIMITS. scripts/package.mjs checks every .vsix
// it makes against this; .vscodeignore is the same list in vsce's terms, so a file added there
// must be added here too (and the reverse): the check names what differs.
import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';

/** Paths inside the .vsix (vsce renames README.md, CHANGELOG.md and LICENSE). */
export const VSIX_FILES = [
  '[Content_Types].xml',
  'extension.vsixmanifest',
  'extension/package.json',
  'extension/package.nls.json',
  'extension/readme.md',
  'extension/changelog.md',
  'extension/LICENSE.txt',
  'extension/dist/extension.js',
  'extension/dist/trainingWorker.js',
  'extension/dist/parallelWorker.js',
  'extension/dist/tfjs-backend-wasm-simd.wasm',
  'extension/dist/tfjs-backend-wasm.wasm',
  'extension/media/icon.png',
  'extension/media/icon-dark.svg',
  'extension/media/icon-light.svg',
  'extension/media/activity.svg',
  'extension/media/walkthrough/train.md',
  'extension/media/walkthrough/translate.md',
  'extension/media/walkthrough/attention.svg',
  'extension/media/walkthrough/compare.md',
  'extension/media/walkthrough/settings.md',
  'extension/media/styles/base.css',
  'extension/media/styles/controls.css',
  'extension/media/styles/charts.css',
  'extension/media/styles/training.css',
  'extension/media/styles/translation.css',
  'extension/media/styles/attention.css',
  'extension/media/styles/compare.css',
  'extension/media/styles/heads.css',
  'extension/media/dist/training.js',
  'extension/media/dist/translation.js',
  'extension/media/dist/attention.js',
  'extension/media/dist/compare.js',
  'extension/media/dist/heads.js',
];

/**
 * Limits with room to grow (measured: a 1.9 MB .vsix whose largest file is a 1.9 MB worker
 * bundle). A bundle that takes all of @tensorflow/tfjs in again is 4.9 MB and fails the second.
 */
export const SIZE_LIMITS = { vsixBytes: 2.5e6, fileBytes: 2.5e6 };

/**
 * What is wrong with a .vsix, given its entries (path and uncompressed size) and its own size:
 * files outside the list, listed files missing, sizes over the limits. Empty when it is right.
 * @param {{ name: string, size: number }[]} entries
 * @param {number} vsixBytes
 */
export function vsixProblems(entries, vsixBytes, limits = SIZE_LIMITS) {
  const names = new Set(entries.map((e) => e.name));
  const allowed = new Set(VSIX_FILES);
  const problems = [
    ...entries.filter((e) => !allowed.has(e.name)).map((e) => `not in the allow-list: ${e.name}`),
    ...VSIX_FILES.filter((f) => !names.has(f)).map((f) => `missing: ${f}`),
    ...entries
      .filter((e) => e.size > limits.fileBytes)
      .map((e) => `${e.name} is ${mb(e.size)}, over the ${mb(limits.fileBytes)} limit per file`),
  ];
  if (vsixBytes > limits.vsixBytes) {
    problems.push(`the .vsix is ${mb(vsixBytes)}, over its ${mb(limits.vsixBytes)} limit`);
  }
  return problems;
}

/** The entries of a .vsix (a zip) with their uncompressed sizes, and the file's size. */
export function readVsix(file) {
  const data = readFileSync(file);
  const entries = [];
  unzipSync(data, {
    filter: (f) => {
      entries.push({ name: f.name, size: f.originalSize });
      return false; // list only: inflate nothing
    },
  });
  return { entries, bytes: data.length };
}

function mb(bytes) {
  return `${(bytes / 1e6).toFixed(2)} MB`;
}
