/**
 * One name for one thing: no exported type, interface or class name is declared by two modules
 * of src/ or webview/. Two `HeldOutScore`s (a run's held-out BLEU, and what a head mask does to
 * BLEU and loss) once meant different things under one name; this keeps it from coming back.
 * Re-exports (`export type { X } from`) are not declarations and are not counted.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const DECLARATION =
  /^export (?:declare )?(?:interface|type|class|enum|abstract class) ([A-Za-z_$][\w$]*)/gm;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const file = path.join(dir, e.name);
    if (e.isDirectory()) return sources(file);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [file] : [];
  });
}

/** Exported type names declared in more than one file, with the files. */
function duplicateTypeNames(
  files: readonly { file: string; text: string }[],
): Map<string, string[]> {
  const where = new Map<string, string[]>();
  for (const { file, text } of files) {
    for (const m of text.matchAll(DECLARATION)) where.set(m[1], [...(where.get(m[1]) ?? []), file]);
  }
  return new Map([...where].filter(([, list]) => new Set(list).size > 1));
}

const read = (file: string) => ({
  file: path.relative(ROOT, file),
  text: readFileSync(file, 'utf8'),
});

describe('type names', () => {
  it('finds a name that two files declare, not a re-export', () => {
    const found = duplicateTypeNames([
      { file: 'a.ts', text: 'export interface Score {\n  bleu: number;\n}\nexport type Kept = 1;' },
      {
        file: 'b.ts',
        text: "export type Score = { n: number };\nexport type { Kept } from './a';",
      },
    ]);
    assert.deepEqual(Object.fromEntries(found), { Score: ['a.ts', 'b.ts'] });
  });

  it('no exported type name is declared by two modules of src/ or webview/', () => {
    const files = [...sources(path.join(ROOT, 'src')), ...sources(path.join(ROOT, 'webview'))];
    const dup = duplicateTypeNames(files.map(read));
    assert.deepEqual(
      Object.fromEntries(dup),
      {},
      'give each thing its own name (or merge the two if they are the same)',
    );
  });
});
