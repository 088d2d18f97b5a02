/**
 * Picking the sentence-pair file out of a zip archive (fflate, synchronous: the archive is
 * about 3.4 MB).
 */
import { unzipSync } from 'fflate';

/** The entry of the book's `fra-eng.zip` that holds the sentence pairs. */
export const FRA_ENG_ENTRY = 'fra-eng/fra.txt';

/** Names of the file entries (not folders) in `zip`; throws if it is not a readable zip. */
export function listZipEntries(zip: Uint8Array): string[] {
  const names: string[] = [];
  unzipChecked(zip, (name) => {
    if (!name.endsWith('/')) names.push(name);
    return false;
  });
  return names;
}

/**
 * Chooses the corpus entry: `fra-eng/fra.txt` if present; unless `strict`, otherwise the only
 * entry named `fra.txt` in any folder, otherwise the only `*.txt` entry. Throws, listing the
 * entries, when there is no such entry or the choice is ambiguous.
 */
export function chooseCorpusEntry(names: readonly string[], strict: boolean): string {
  if (names.includes(FRA_ENG_ENTRY)) return FRA_ENG_ENTRY;
  const listing = names.length ? names.join(', ') : 'none';
  if (!strict) {
    const fra = names.filter((n) => n === 'fra.txt' || n.endsWith('/fra.txt'));
    if (fra.length === 1) return fra[0];
    const txt = names.filter((n) => n.toLowerCase().endsWith('.txt'));
    if (fra.length === 0 && txt.length === 1) return txt[0];
    throw new Error(
      `zip archive has no entry ${FRA_ENG_ENTRY} and no single fra.txt or *.txt entry ` +
        `(entries: ${listing})`,
    );
  }
  throw new Error(`zip archive has no entry ${FRA_ENG_ENTRY} (entries: ${listing})`);
}

/** The bytes of the corpus entry of `zip` (see `chooseCorpusEntry`). */
export function extractCorpusEntry(zip: Uint8Array, strict = false): Uint8Array {
  const name = chooseCorpusEntry(listZipEntries(zip), strict);
  const files = unzipChecked(zip, (n) => n === name);
  const bytes = files[name];
  if (!bytes) throw new Error(`corrupt zip archive: entry ${name} could not be extracted`);
  return bytes;
}

function unzipChecked(
  zip: Uint8Array,
  keep: (name: string) => boolean,
): Record<string, Uint8Array> {
  try {
    return unzipSync(zip, { filter: (file) => keep(file.name) });
  } catch (err) {
    throw new Error(`corrupt zip archive: ${(err as Error).message}`, { cause: err });
  }
}
