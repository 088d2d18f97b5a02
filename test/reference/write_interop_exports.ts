/**
 * Writes our exports of the interop fixture models into a folder, for make_interop_fixtures.py
 * to check with PyTorch:  npx tsx test/reference/write_interop_exports.ts FIXTURE_DIR OUT_DIR
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { interopExports } from '../helpers/interopFixtures';

const [fixtureDir, outDir] = process.argv.slice(2);
if (!fixtureDir || !outDir) {
  console.error('usage: write_interop_exports.ts FIXTURE_DIR OUT_DIR');
  process.exit(2);
}
for (const [name, bytes] of interopExports(fixtureDir)) {
  writeFileSync(path.join(outDir, name), bytes);
  console.log(`wrote ${name} (${bytes.length} bytes)`);
}
