import { ZipError, isZip, readZipEntries } from '../util/zipArchive';
import { crc32 } from './bytes';
import { InteropError, InteropLimits, fail } from './errors';

/**
 * The zip archives torch.save writes: stored (uncompressed) entries, found by the project's
 * bounded zip reader (src/util/zipArchive.ts; torch writes sizes only in the central directory
 * and data descriptors). Nothing is decompressed or copied: an entry is a view of the file's
 * bytes, checked against its CRC-32 when read.
 */
export interface StoredEntry {
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
    readonly entries: ReadonlyMap<string, StoredEntry>,
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

export { isZip };

export function readStoredZip(bytes: Uint8Array, limits: InteropLimits): StoredZip {
  let all;
  try {
    all = readZipEntries(bytes, limits.maxZipEntries);
  } catch (err) {
    if (err instanceof ZipError) throw new InteropError(err.message);
    throw err;
  }
  const entries = new Map<string, StoredEntry>();
  for (const { name, method, compressedSize, size, start, crc } of all) {
    if (method !== 0) {
      fail(
        `zip entry ${name} is compressed (method ${method}); torch.save stores entries as they are`,
      );
    }
    if (compressedSize !== size)
      fail(`zip entry ${name} is stored but says ${compressedSize} ≠ ${size} bytes`);
    entries.set(name, { name, start, size, crc });
  }
  return new StoredZip(bytes, entries);
}
