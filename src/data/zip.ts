/**
 * Picking the sentence-pair file out of a zip archive without trusting the archive. The entries
 * are found by the project's bounded zip reader (src/util/zipArchive.ts, shared with the .pt
 * reader) and only the chosen entry is inflated, by node's zlib with a cap on its output, so a zip bomb is refused once the
 * cap is passed instead of exhausting memory. (fflate's `unzipSync`, used before, allocates the
 * size a header claims and inflates all of it: a 1 MB archive claiming 1 GiB raised the peak
 * memory by 1.07 GB and took 30 s before failing with a misleading message.)
 */
import { constants } from 'node:buffer';
import { inflateRawSync } from 'node:zlib';
import { ZipEntry, ZipError, entryData, readZipEntries } from '../util/zipArchive';
import { CORPUS_LIMITS, formatBytes } from './limits';

/** The entry of the book's `fra-eng.zip` that holds the sentence pairs. */
export const FRA_ENG_ENTRY = 'fra-eng/fra.txt';

/** More entries than any corpus archive needs (the book's has 2); bounds the directory read. */
const MAX_ENTRIES = 10_000;
/** zlib's output chunk: with its 16 KiB default, inflating 256 MiB of zeros took 4.1 s, with 1 MiB 0.37 s. */
const INFLATE_CHUNK = 1024 * 1024;

/** Names of the file entries (not folders) in `zip`; throws if it is not a readable zip. */
export function listZipEntries(zip: Uint8Array): string[] {
  return fileEntries(zip).map((e) => e.name);
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

/**
 * The bytes of the corpus entry of `zip` (see `chooseCorpusEntry`). Throws, naming the limit,
 * when the entry is (or inflates to) more than `maxBytes`; inflating stops as soon as the output
 * passes `maxBytes`, so memory stays bounded whatever the headers claim.
 */
export function extractCorpusEntry(
  zip: Uint8Array,
  strict = false,
  maxBytes = CORPUS_LIMITS.maxTextBytes,
): Uint8Array {
  const entries = fileEntries(zip);
  const name = chooseCorpusEntry(
    entries.map((e) => e.name),
    strict,
  );
  const entry = entries.find((e) => e.name === name) as ZipEntry;
  if (entry.flags & 1) throw new Error(`zip entry ${name} is encrypted`);
  if (entry.size > maxBytes) {
    throw new Error(
      `zip entry ${name} is ${formatBytes(entry.size)} uncompressed, ` +
        `over the ${formatBytes(maxBytes)} limit for corpus text`,
    );
  }
  const data = entryData(zip, entry);
  let bytes: Uint8Array;
  if (entry.method === 0) bytes = data;
  else if (entry.method === 8) bytes = inflateCapped(data, name, maxBytes);
  else {
    throw new Error(
      `zip entry ${name} uses compression method ${entry.method}; ` +
        'only stored (0) and deflate (8) are supported',
    );
  }
  if (bytes.length !== entry.size) {
    throw corrupt(`entry ${name} holds ${bytes.length} bytes but its header says ${entry.size}`);
  }
  return bytes;
}

/** The archive's file entries (not folders); a damaged archive is a "corrupt zip archive". */
function fileEntries(zip: Uint8Array): ZipEntry[] {
  try {
    return readZipEntries(zip, MAX_ENTRIES).filter((e) => !e.name.endsWith('/'));
  } catch (err) {
    if (err instanceof ZipError) throw corrupt(err.message, err);
    throw err;
  }
}

/** Raw-inflates `data`, stopping with an error as soon as the output passes `maxBytes`. */
function inflateCapped(data: Uint8Array, name: string, maxBytes: number): Uint8Array {
  try {
    const maxOutputLength = Math.min(Math.max(1, Math.floor(maxBytes)), constants.MAX_LENGTH);
    return inflateRawSync(data, { maxOutputLength, chunkSize: INFLATE_CHUNK });
  } catch (err) {
    const { code, message } = err as NodeJS.ErrnoException;
    if (code === 'ERR_BUFFER_TOO_LARGE') {
      throw new Error(
        `zip entry ${name} inflates to more than the ${formatBytes(maxBytes)} limit ` +
          'for corpus text (its header claims less)',
        { cause: err },
      );
    }
    if (code === 'Z_BUF_ERROR') throw corrupt(`entry ${name} is truncated (${message})`, err);
    throw corrupt(`entry ${name} cannot be inflated: ${message}`, err);
  }
}

function corrupt(message: string, cause?: unknown): Error {
  return new Error(`corrupt zip archive: ${message}`, { cause });
}
