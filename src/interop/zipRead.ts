import { ByteReader, crc32, decodeUtf8 } from './bytes';
import { InteropLimits, fail } from './errors';

/**
 * A bounded reader for the zip archives torch.save writes: stored (uncompressed) entries, found
 * through the central directory (torch writes sizes only there and in data descriptors). Nothing
 * is decompressed or copied: an entry is a view of the file's bytes, checked against its CRC-32
 * when read.
 */
export interface ZipEntry {
  name: string;
  /** Offset of the entry's data in the archive. */
  start: number;
  size: number;
  crc: number;
}

export class StoredZip {
  private readonly checked = new Set<string>();

  constructor(
    private readonly bytes: Uint8Array,
    readonly entries: ReadonlyMap<string, ZipEntry>,
  ) {}

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** The entry's bytes (a view), after checking its CRC-32 once. */
  read(name: string): Uint8Array {
    const e = this.entries.get(name);
    if (!e) fail(`the archive has no entry ${name}`);
    const data = this.bytes.subarray(e.start, e.start + e.size);
    if (!this.checked.has(name)) {
      if (crc32(data) !== e.crc) fail(`zip entry ${name} is damaged (its CRC-32 does not match)`);
      this.checked.add(name);
    }
    return data;
  }
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 3;
}

export function readStoredZip(bytes: Uint8Array, limits: InteropLimits): StoredZip {
  const dir = findCentralDirectory(bytes);
  if (dir.count > limits.maxZipEntries) {
    fail(`the archive lists ${dir.count} entries; at most ${limits.maxZipEntries} are read`);
  }
  if (dir.offset + dir.size > bytes.length) {
    fail('the zip central directory lies outside the file (the file is truncated or damaged)');
  }
  const r = new ByteReader(bytes.subarray(dir.offset, dir.offset + dir.size), 'zip directory');
  const entries = new Map<string, ZipEntry>();
  for (let i = 0; i < dir.count; i++) {
    const e = readCentralEntry(r, bytes, dir.offset);
    if (entries.has(e.name)) fail(`the archive holds entry ${e.name} twice`);
    entries.set(e.name, e);
  }
  return new StoredZip(bytes, entries);
}

interface Directory {
  count: number;
  size: number;
  offset: number;
}

function findCentralDirectory(bytes: Uint8Array): Directory {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end record is 22 bytes plus a comment of at most 65535 bytes.
  const lowest = Math.max(0, bytes.length - 22 - 0xffff);
  for (let at = bytes.length - 22; at >= lowest; at--) {
    if (view.getUint32(at, true) !== EOCD) continue;
    const r = new ByteReader(bytes.subarray(at), 'zip end record');
    r.take(4, 'signature');
    const disk = r.u16('disk number');
    const cdDisk = r.u16('directory disk');
    const onDisk = r.u16('entries on this disk');
    const count = r.u16('entries');
    const size = r.u32('directory size');
    const offset = r.u32('directory offset');
    if (disk !== 0 || cdDisk !== 0 || onDisk !== count)
      fail('multi-part zip archives are not read');
    if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
      return readZip64Directory(bytes, at);
    }
    return { count, size, offset };
  }
  return fail('not a zip archive (no end-of-directory record)');
}

function readZip64Directory(bytes: Uint8Array, eocdAt: number): Directory {
  if (eocdAt < 20) fail('the zip64 locator is missing');
  const loc = new ByteReader(bytes.subarray(eocdAt - 20, eocdAt), 'zip64 locator');
  if (loc.u32('signature') !== ZIP64_LOCATOR) fail('the zip64 locator is missing');
  loc.u32('disk');
  const recordAt = loc.u64('zip64 record offset');
  if (recordAt > eocdAt - 20) fail('the zip64 end record lies outside the file');
  const r = new ByteReader(bytes.subarray(recordAt, eocdAt - 20), 'zip64 end record');
  if (r.u32('signature') !== ZIP64_EOCD) fail('the zip64 end record is missing');
  r.take(8 + 2 + 2 + 4 + 4, 'record size, versions and disks');
  const onDisk = r.u64('entries on this disk');
  const count = r.u64('entries');
  const size = r.u64('directory size');
  const offset = r.u64('directory offset');
  if (onDisk !== count) fail('multi-part zip archives are not read');
  return { count, size, offset };
}

function readCentralEntry(r: ByteReader, bytes: Uint8Array, directoryAt: number): ZipEntry {
  if (r.u32('entry signature') !== CENTRAL) fail('the zip central directory is damaged');
  r.take(4, 'versions');
  const flags = r.u16('flags');
  const method = r.u16('compression method');
  r.take(4, 'time and date');
  const crc = r.u32('CRC-32');
  const compressed = r.u32('compressed size');
  const size = r.u32('size');
  const nameLength = r.u16('name length');
  const extraLength = r.u16('extra length');
  const commentLength = r.u16('comment length');
  r.take(8, 'disk and attributes');
  const localAt = r.u32('local header offset');
  const name = decodeUtf8(r.slice(nameLength, 'entry name'), 'a zip entry name');
  r.take(extraLength + commentLength, 'extra field and comment');
  if (flags & 1) fail(`zip entry ${name} is encrypted`);
  if (method !== 0) {
    fail(
      `zip entry ${name} is compressed (method ${method}); torch.save stores entries as they are`,
    );
  }
  if (compressed === 0xffffffff || size === 0xffffffff || localAt === 0xffffffff) {
    fail(`zip entry ${name} uses zip64 sizes (over 4 GB), which are not read`);
  }
  if (compressed !== size)
    fail(`zip entry ${name} is stored but says ${compressed} ≠ ${size} bytes`);
  const start = localDataStart(bytes, localAt, name, flags, size);
  if (start + size > directoryAt) {
    fail(`zip entry ${name} claims ${size} bytes, past the end of the archive's data`);
  }
  return { name, start, size, crc };
}

/** Checks the local header against the directory's entry; returns where the data starts. */
function localDataStart(
  bytes: Uint8Array,
  at: number,
  name: string,
  flags: number,
  size: number,
): number {
  const r = new ByteReader(bytes.subarray(at), `the local header of zip entry ${name}`);
  if (r.u32('signature') !== LOCAL) fail(`the local header of zip entry ${name} is missing`);
  r.take(2, 'version');
  r.u16('flags');
  const method = r.u16('method');
  r.take(8, 'time, date and CRC-32');
  const compressed = r.u32('compressed size');
  const localSize = r.u32('size');
  const nameLength = r.u16('name length');
  const extraLength = r.u16('extra length');
  const localName = decodeUtf8(r.slice(nameLength, 'name'), 'a zip entry name');
  r.take(extraLength, 'extra field');
  // With a data descriptor (flag bit 3) the local sizes may be zero; otherwise they must agree.
  const sizesDiffer = !(flags & 8) && (compressed !== size || localSize !== size);
  if (localName !== name || method !== 0 || sizesDiffer) {
    fail(`zip entry ${name}: its local header disagrees with the central directory`);
  }
  return at + r.pos;
}
