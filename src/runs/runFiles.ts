/** File helpers of the run history. */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** Bytes of every file under `dir` (0 when it does not exist). */
export async function dirSize(dir: string): Promise<number> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  let total = 0;
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) total += await dirSize(p);
    else if (e.isFile()) total += (await fs.stat(p)).size;
  }
  return total;
}
