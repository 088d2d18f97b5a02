/**
 * Writing models for PyTorch: our exports are byte-stable, read back as the same model, and are
 * the very bytes make_interop_fixtures.py loaded with torch.load + the book's load_state_dict
 * (their SHA-256s are in test/fixtures/interop/verified-exports.json, so CI needs no PyTorch).
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  ExportableModel,
  InteropError,
  exportPt,
  exportSafetensors,
  importPt,
  importSafetensors,
  readModelFile,
  writeModelFiles,
} from '../../src/interop';
import { readStoredZip } from '../../src/interop/zipRead';
import { limitsWith } from '../../src/interop/errors';
import { fixtureBytes, interopExports } from '../helpers/interopFixtures';
import { TempDirs } from '../helpers/tempDir';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const tiny = () => importPt(fixtureBytes('tiny-dot.pt'));

function exportError(edit: (m: ExportableModel) => ExportableModel, pattern: RegExp): void {
  assert.throws(
    () => exportPt(edit(tiny())),
    (err: unknown) => err instanceof InteropError && pattern.test(err.message),
  );
}

describe('interop: writing models for PyTorch', () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());

  it('writes the exact bytes PyTorch loaded and verified (verified-exports.json)', () => {
    const verified: Record<string, string> = JSON.parse(
      fixtureBytes('verified-exports.json').toString('utf8'),
    );
    const exports = interopExports();
    assert.deepEqual([...exports.keys()].sort(), Object.keys(verified).sort());
    for (const [name, bytes] of exports) {
      assert.equal(sha256(bytes), verified[name], `${name}: rerun npm run fixtures:interop`);
    }
  });

  it('reads back what it writes, and writes that again byte for byte', () => {
    for (const file of ['tiny-dot.pt', 'other-additive.pt']) {
      const model = importPt(fixtureBytes(file));
      const pt = exportPt(model);
      const { safetensors, sidecar } = exportSafetensors(model);
      const fromPt = importPt(pt);
      const fromSt = importSafetensors(safetensors, sidecar);
      assert.deepEqual(fromPt, model);
      assert.deepEqual(fromSt, model);
      assert.ok(exportPt(fromSt).equals(pt));
      assert.ok(exportSafetensors(fromPt).safetensors.equals(safetensors));
    }
  });

  it('lays the .pt out as torch.save does: archive/, 64-byte aligned storages, version 3', () => {
    const pt = exportPt(tiny());
    const zip = readStoredZip(pt, limitsWith());
    const names = [...zip.entries.keys()];
    assert.deepEqual(names.slice(0, 3), [
      'archive/data.pkl',
      'archive/byteorder',
      'archive/data/0',
    ]);
    assert.equal(names[names.length - 1], 'archive/version');
    assert.equal(Buffer.from(zip.read('archive/version')).toString(), '3\n');
    for (const e of zip.entries.values()) assert.equal(e.start % 64, 0, e.name);
  });

  it('writes safetensors with an 8-byte aligned header in our parameter order', () => {
    const model = tiny();
    const { safetensors } = exportSafetensors(model);
    const n = Number(safetensors.readBigUInt64LE(0));
    assert.equal(n % 8, 0);
    const header = JSON.parse(safetensors.subarray(8, 8 + n).toString('utf8'));
    assert.deepEqual(header.__metadata__, { format: 'pt' });
    assert.deepEqual(
      Object.keys(header).slice(1),
      model.params.map((p) => p.name),
    );
  });

  it('refuses to export what would not read back as the same model', () => {
    exportError(
      (m) => ({ ...m, config: { ...m.config, numLayers: 3 } }),
      /numLayers: 3 given, 2 in the shapes/,
    );
    exportError(
      (m) => ({ ...m, config: { ...m.config, numHeads: 3 } }),
      /num_heads \(3\) does not divide/,
    );
    exportError(
      (m) => ({
        ...m,
        params: m.params.map((p, i) => (i ? p : { ...p, data: p.data.subarray(1) })),
      }),
      /encoder\.embedding\.weight has 95 values for shape \[12,8\]/,
    );
    exportError((m) => ({ ...m, params: [...m.params, m.params[0]] }), /listed twice/);
    exportError((m) => ({ ...m, srcVocab: m.srcVocab.slice(1) }), /src_vocab\[0\] must be "<unk>"/);
    exportError((m) => ({ ...m, numSteps: 1 }), /num_steps must be from 2 to 1000/);
  });

  it('writes files through a temporary name and reads them back', async () => {
    const dir = temp.make();
    const model = tiny();
    const pt = path.join(dir, 'model.pt');
    const st = path.join(dir, 'model.safetensors');
    const written = await writeModelFiles(model, { pt, safetensors: st });
    assert.deepEqual(written, [pt, st, path.join(dir, 'model.json')]);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['model.json', 'model.pt', 'model.safetensors']);
    const fromPt = await readModelFile(pt);
    const fromSt = await readModelFile(st);
    assert.equal(fromSt.sidecarPath, path.join(dir, 'model.json'));
    assert.deepEqual(fromPt.params, model.params);
    assert.deepEqual(fromSt.params, model.params);
  });

  it('writes nothing when the model cannot be exported', async () => {
    const dir = temp.make();
    const model = tiny();
    const bad = { ...model, numSteps: 0 };
    await assert.rejects(writeModelFiles(bad, { pt: path.join(dir, 'm.pt') }), InteropError);
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  it('says what is wrong with a missing or broken sidecar', async () => {
    const dir = temp.make();
    const st = path.join(dir, 'm.safetensors');
    fs.writeFileSync(st, fixtureBytes('tiny-dot.safetensors'));
    await assert.rejects(readModelFile(st), (err: Error) => {
      assert.ok(err instanceof InteropError);
      assert.match(
        err.message,
        /m\.json does not exist: a \.safetensors model needs this JSON sidecar/,
      );
      return true;
    });
    fs.writeFileSync(path.join(dir, 'm.json'), '{"src_vocab": [');
    await assert.rejects(readModelFile(st), /m\.safetensors: m\.json is not valid JSON/);
    fs.writeFileSync(path.join(dir, 'm.json'), JSON.stringify({ src_vocab: ['<unk>'] }));
    await assert.rejects(
      readModelFile(st),
      /m\.json: src_vocab lacks the reserved tokens <pad>, <bos>, <eos>/,
    );
  });

  it('says so when the path is a folder, not a file', async () => {
    const dir = temp.make();
    await assert.rejects(readModelFile(dir), (err: Error) => {
      assert.ok(err instanceof InteropError);
      assert.equal(err.message, `${dir} is not a file`);
      return true;
    });
  });

  it('refuses a file larger than the limit before reading it', async () => {
    const file = path.join(__dirname, '..', 'fixtures', 'interop', 'tiny-dot.pt');
    await assert.rejects(
      readModelFile(file, { maxFileBytes: 1000 }),
      /tiny-dot\.pt is 36\.4 KB; at most 1000 bytes is read/,
    );
  });
});
