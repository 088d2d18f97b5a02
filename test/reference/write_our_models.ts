/**
 * Writes our models (test/helpers/interopRoundtrip.ts) as .pt files for interop_roundtrip.py
 * to load with PyTorch:  npx tsx test/reference/write_our_models.ts FIXTURE_DIR
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { exportPt } from '../../src/interop';
import { OUR_MODELS, ourModel } from '../helpers/interopRoundtrip';
import { useCpuBackend } from '../helpers/tinyModel';

async function main(dir: string): Promise<void> {
  await useCpuBackend();
  const bookTrained = readFileSync(path.join(dir, 'book-trained.pt'));
  for (const name of Object.keys(OUR_MODELS)) {
    const { model, exportable } = ourModel(name, bookTrained);
    const bytes = exportPt(exportable);
    model.dispose();
    writeFileSync(path.join(dir, `${name}.pt`), bytes);
    console.log(`wrote ${name}.pt (${bytes.length} bytes)`);
  }
}

const [dir] = process.argv.slice(2);
if (!dir) {
  console.error('usage: write_our_models.ts FIXTURE_DIR');
  process.exit(2);
}
void main(dir);
