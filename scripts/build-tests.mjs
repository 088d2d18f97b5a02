// Compiles the integration suites for VS Code's extension host: every test/integration/*.ts
// (index.ts and each *.test.ts) becomes out/integration/<name>.js, CommonJS for Node 20+.
// `vscode` is the host's own module and mocha is loaded from node_modules at run time.
// Usage: node scripts/build-tests.mjs   (run by npm run test:integration)
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const srcDir = 'test/integration';
const outDir = 'out/integration';
const entryPoints = readdirSync(srcDir)
  .filter((name) => name.endsWith('.ts'))
  .map((name) => join(srcDir, name));

rmSync(outDir, { recursive: true, force: true }); // no stale suite from a deleted file
await esbuild.build({
  entryPoints,
  outdir: outDir,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline', // stack traces of failures point into the .ts files
  external: ['vscode', 'mocha', '@tensorflow/*'],
  logLevel: 'warning',
});
console.log(`built ${entryPoints.length} integration files into ${outDir}`);
