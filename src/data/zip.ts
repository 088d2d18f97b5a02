/**
 * Picking the sentence-pair file out of a zip archive without trusting the archive. The central
 * directory is read here (the few fields needed; no ZIP64, no encryption) and only the chosen
 * entry is inflated, by node's zlib with a cap on its output, so a zip bomb is refused once the
 * cap is passed instead of exhausting memory. (fflate's `unzipSync`, used before, allocates the
 * size a header claims and inflates all of it: a 1 MB archive claiming 1 GiB raised the peak
 * memory by 1.07 GB and took 30 s before failing with a misleading message.)
 */
import { constants } from 'node:buffer';
import { inflateRawSync } from 'node:zlib';
import { CORPUS_LIMITS, formatBytes } from './limits';

/** The entry of the book's `fra-eng.zip` that holds the sentence pairs. */
export const FRA_ENG_ENTRY = 'fra-eng/fra.txt';

/** What the central directory says about one entry. */
interface ZipEntry {
  name: string;
  flags: number;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

const END_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
/** A size or offset of 0xffffffff (a count of 0xffff) means "see the ZIP64 record". */
const ZIP64_MARK = 0xffffffff;
/** zlib's output chunk: with its 16 KiB default, inflating 256 MiB of zeros took 4.1 s, with 1 MiB 0.37 s. */
const INFLATE_CHUNK = 1024 * 1024;

/** Names of the file entries (not folders) in `zip`; throws if it is not a readable zip. */
export function listZipEntries(zip: Uint8Array): string[] {
  return fileEntries(readCentralDirectory(zip)).map((e) => e.name);
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
  const entries = fileEntries(readCentralDirectory(zip));
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

function fileEntries(entries: ZipEntry[]): ZipEntry[] {
  return entries.filter((e) => !e.name.endsWith('/'));
}

function readCentralDirectory(zip: Uint8Array): ZipEntry[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const end = findEndRecord(view);
  const count = view.getUint16(end + 10, true);
  const size = view.getUint32(end + 12, true);
  let pos = view.getUint32(end + 16, true);
  if (count === 0xffff || size === ZIP64_MARK || pos === ZIP64_MARK) {
    throw corrupt('ZIP64 archives are not supported');
  }
  if (pos + size > end) throw corrupt('the central directory lies beyond the end (truncated?)');
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (pos + 46 > end || view.getUint32(pos, true) !== CENTRAL_SIGNATURE) {
      throw corrupt(`central directory entry ${i} is damaged`);
    }
    const nameLength = view.getUint16(pos + 28, true);
    const flags = view.getUint16(pos + 8, true);
    const entry: ZipEntry = {
      // Bit 11: the name is UTF-8; otherwise the zip default, CP437 (read as Latin-1, as fflate).
      name: Buffer.from(zip.subarray(pos + 46, pos + 46 + nameLength)).toString(
        flags & 0x800 ? 'utf8' : 'latin1',
      ),
      flags,
      method: view.getUint16(pos + 10, true),
      compressedSize: view.getUint32(pos + 20, true),
      size: view.getUint32(pos + 24, true),
      localOffset: view.getUint32(pos + 42, true),
    };
    if ([entry.compressedSize, entry.size, entry.localOffset].includes(ZIP64_MARK)) {
      throw corrupt(`entry ${entry.name} needs ZIP64, which is not supported`);
    }
    entries.push(entry);
    pos += 46 + nameLength + view.getUint16(pos + 30, true) + view.getUint16(pos + 32, true);
  }
  return entries;
}

/** Offset of the end-of-central-directory record: 22 bytes and a comment of up to 64 KiB. */
function findEndRecord(view: DataView): number {
  const lowest = Math.max(0, view.byteLength - 22 - 0xffff);
  for (let pos = view.byteLength - 22; pos >= lowest; pos--) {
    if (view.getUint32(pos, true) === END_SIGNATURE) return pos;
  }
  throw corrupt('no end-of-central-directory record (not a zip, or truncated)');
}

/** The stored (possibly compressed) bytes of `entry`, after its local header. */
function entryData(zip: Uint8Array, entry: ZipEntry): Uint8Array {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const local = entry.localOffset;
  if (local + 30 > zip.length || view.getUint32(local, true) !== LOCAL_SIGNATURE) {
    throw corrupt(`entry ${entry.name} has no local header`);
  }
  const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
  if (start + entry.compressedSize > zip.length) throw corrupt(`entry ${entry.name} is truncated`);
  return zip.subarray(start, start + entry.compressedSize);
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
