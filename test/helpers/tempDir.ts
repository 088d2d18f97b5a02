/** Fresh temporary directories for tests, removed again by `cleanup`. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export class TempDirs {
  private readonly dirs: string[] = [];

  /** A new empty directory under the OS temp dir. */
  make(prefix = 'tae-test-'): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    this.dirs.push(dir);
    return dir;
  }

  /** Removes every directory made so far. */
  cleanup(): void {
    for (const dir of this.dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  }
}
