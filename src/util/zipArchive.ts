/**
 * The one bounded zip reader of the project: the corpus archive (src/data/zip.ts, deflated
 * fra.txt) and torch.save's .pt files (src/interop/zipRead.ts, stored entries) both find their
 * entries here. It reads the central directory (ZIP64 end records included), checks every
 * entry's local header against it and every offset and size against the file, and copies and
 * decompresses nothing: an entry is its place in the archive. The callers decide what an entry
 * may be (compression method, CRC-32 check, size caps). Every problem is a ZipError with a
 * message for people.
 */

export class ZipError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZipError';
  }
}

/** One file or folder entry as the central directory describes it, checked. */
export interface ZipEntry {
  name: string;
  flags: number;
  /** 0: stored, 8: deflate (others are left to the caller to refuse). */
  method: number;
  crc: number;
  compressedSize: number;
  /** Uncompressed size, as the headers claim it. */
  size: number;
  /** Offset of the entry's (compressed) data in the archive. */
  start: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const ZIP64_MARK = 0xffffffff;

export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 3;
}

/** The entries of `bytes` in directory order; at most `maxEntries`, no name twice. */
export function readZipEntries(bytes: Uint8Array, maxEntries: number): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dir = findCentralDirectory(view);
  if (dir.count > maxEntries) {
    fail(`the archive lists ${dir.count} entries; at most ${maxEntries} are read`);
  }
  if (dir.offset + dir.size > dir.end) {
    fail('the central directory lies beyond the end of the file (truncated or damaged)');
  }
  const entries: ZipEntry[] = [];
  const names = new Set<string>();
  let at = dir.offset;
  for (let i = 0; i < dir.count; i++) {
    const { entry, next } = readCentralEntry(view, at, dir, i);
    if (names.has(entry.name)) fail(`the archive holds entry ${entry.name} twice`);
    names.add(entry.name);
    entries.push(entry);
    at = next;
  }
  return entries;
}

/** The entry's stored (possibly compressed) bytes: a view, not a copy. */
export function entryData(bytes: Uint8Array, entry: ZipEntry): Uint8Array {
  return bytes.subarray(entry.start, entry.start + entry.compressedSize);
}

interface Directory {
  count: number;
  size: number;
  offset: number;
  /** Where the end records begin: entries and the directory lie before it. */
  end: number;
}

function findCentralDirectory(view: DataView): Directory {
  // The end record is 22 bytes plus a comment of at most 65535 bytes.
  const lowest = Math.max(0, view.byteLength - 22 - 0xffff);
  for (let at = view.byteLength - 22; at >= lowest; at--) {
    if (view.getUint32(at, true) !== EOCD) continue;
    const disk = view.getUint16(at + 4, true);
    const cdDisk = view.getUint16(at + 6, true);
    const onDisk = view.getUint16(at + 8, true);
    const count = view.getUint16(at + 10, true);
    const size = view.getUint32(at + 12, true);
    const offset = view.getUint32(at + 16, true);
    if (disk !== 0 || cdDisk !== 0 || onDisk !== count)
      fail('multi-part zip archives are not read');
    if (count === 0xffff || size === ZIP64_MARK || offset === ZIP64_MARK) {
      return readZip64Directory(view, at);
    }
    return { count, size, offset, end: at };
  }
  return fail('no end-of-central-directory record (not a zip, or truncated)');
}

function readZip64Directory(view: DataView, eocdAt: number): Directory {
  const locatorAt = eocdAt - 20;
  if (locatorAt < 0 || view.getUint32(locatorAt, true) !== ZIP64_LOCATOR) {
    fail('the zip64 locator is missing');
  }
  const recordAt = u64(view, locatorAt + 8, 'the zip64 record offset');
  if (recordAt + 56 > locatorAt || view.getUint32(recordAt, true) !== ZIP64_EOCD) {
    fail('the zip64 end record is missing');
  }
  const onDisk = u64(view, recordAt + 24, 'the zip64 entry count');
  const count = u64(view, recordAt + 32, 'the zip64 entry count');
  const size = u64(view, recordAt + 40, 'the zip64 directory size');
  const offset = u64(view, recordAt + 48, 'the zip64 directory offset');
  if (onDisk !== count) fail('multi-part zip archives are not read');
  return { count, size, offset, end: recordAt };
}

function readCentralEntry(
  view: DataView,
  at: number,
  dir: Directory,
  index: number,
): { entry: ZipEntry; next: number } {
  const directoryEnd = dir.offset + dir.size;
  if (at + 46 > directoryEnd || view.getUint32(at, true) !== CENTRAL) {
    fail(`central directory entry ${index} is damaged`);
  }
  const flags = view.getUint16(at + 8, true);
  const nameLength = view.getUint16(at + 28, true);
  const next = at + 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  if (next > directoryEnd) fail(`central directory entry ${index} is damaged`);
  const name = entryName(view, at + 46, nameLength, flags);
  const method = view.getUint16(at + 10, true);
  const compressedSize = view.getUint32(at + 20, true);
  const size = view.getUint32(at + 24, true);
  const localAt = view.getUint32(at + 42, true);
  if (flags & 1) fail(`zip entry ${name} is encrypted`);
  if ([compressedSize, size, localAt].includes(ZIP64_MARK)) {
    fail(`zip entry ${name} uses zip64 sizes (over 4 GB), which are not read`);
  }
  const entry: ZipEntry = {
    name,
    flags,
    method,
    crc: view.getUint32(at + 16, true),
    compressedSize,
    size,
    start: 0,
  };
  entry.start = localDataStart(view, localAt, entry);
  if (entry.start + compressedSize > dir.offset) {
    fail(`zip entry ${name} claims ${compressedSize} bytes, past the end of the archive's data`);
  }
  return { entry, next };
}

/** Checks the local header against the directory's entry; returns where the data starts. */
function localDataStart(view: DataView, at: number, entry: ZipEntry): number {
  const { name } = entry;
  if (at + 30 > view.byteLength || view.getUint32(at, true) !== LOCAL) {
    fail(`the local header of zip entry ${name} is missing`);
  }
  const method = view.getUint16(at + 8, true);
  const compressed = view.getUint32(at + 18, true);
  const size = view.getUint32(at + 22, true);
  const nameLength = view.getUint16(at + 26, true);
  const start = at + 30 + nameLength + view.getUint16(at + 28, true);
  if (start > view.byteLength) fail(`the local header of zip entry ${name} is truncated`);
  const localName = entryName(view, at + 30, nameLength, entry.flags);
  // With a data descriptor (flag bit 3) the local sizes may be zero; otherwise they must agree.
  const sizesDiffer =
    !(entry.flags & 8) && (compressed !== entry.compressedSize || size !== entry.size);
  if (localName !== name || method !== entry.method || sizesDiffer) {
    fail(`zip entry ${name}: its local header disagrees with the central directory`);
  }
  return start;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Flag bit 11: the name is UTF-8; otherwise the zip default, CP437 (read as Latin-1). */
function entryName(view: DataView, at: number, length: number, flags: number): string {
  if (at + length > view.byteLength) fail('a zip entry name lies beyond the end of the file');
  const raw = new Uint8Array(view.buffer, view.byteOffset + at, length);
  if (!(flags & 0x800)) return Buffer.from(raw).toString('latin1');
  try {
    return UTF8.decode(raw);
  } catch {
    return fail('a zip entry name is not valid UTF-8');
  }
}

/** A little-endian unsigned 64-bit integer that must fit in a JS safe integer. */
function u64(view: DataView, at: number, what: string): number {
  if (at + 8 > view.byteLength) fail(`${what} lies beyond the end of the file`);
  const lo = view.getUint32(at, true);
  const hi = view.getUint32(at + 4, true);
  if (hi >= 2 ** 21) fail(`${what} is too large`);
  return hi * 2 ** 32 + lo;
}

function fail(message: string): never {
  throw new ZipError(message);
}
