/** Access to the shared Tatoeba corpus that sits beside the repository (`../shared`). */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** `/work/shared/data/fra-eng/fra.txt` when the repository is `/work/main`. */
export const SHARED_FRA_TXT = path.resolve(__dirname, '../../../shared/data/fra-eng/fra.txt');

/** The whole shared `fra.txt`; throws a clear error when it is absent. */
export function readSharedCorpus(): string {
  if (!fs.existsSync(SHARED_FRA_TXT)) {
    throw new Error(
      `shared corpus not found at ${SHARED_FRA_TXT}; put the d2l fra-eng/fra.txt there ` +
        '(the repository expects ../shared/data/fra-eng/fra.txt beside it)',
    );
  }
  return fs.readFileSync(SHARED_FRA_TXT, 'utf8');
}

/** The first `count` lines of the shared corpus, each ending with `\n`. */
export function sharedCorpusHead(count: number): string {
  const lines = readSharedCorpus().split('\n').slice(0, count);
  return lines.join('\n') + '\n';
}
