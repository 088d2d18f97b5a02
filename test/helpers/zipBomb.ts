/**
 * Hand-built zip archives for hostile-input tests: an entry of zeros that inflates to gigabytes
 * from about a thousandth of that, with a header that may lie about its size. Built from one
 * deflated MiB repeated (each segment ends in a full flush, so the segments chain into one valid
 * deflate stream), so a 1 GiB bomb costs the test ~1 MB and a few milliseconds.
 */
import { constants, deflateRawSync } from 'node:zlib';

const MiB = 1024 * 1024;

/** Raw deflate data that inflates to `mib` MiB of zero bytes. */
export function deflatedZeros(mib: number): Buffer {
  const segment = deflateRawSync(Buffer.alloc(MiB), { finishFlush: constants.Z_FULL_FLUSH });
  const final = deflateRawSync(Buffer.alloc(0));
  return Buffer.concat([...Array<Buffer>(mib).fill(segment), final]);
}

export interface RawEntry {
  name: string;
  /** The entry's data as stored in the archive (already deflated when `method` is 8). */
  data: Uint8Array;
  /** 0 stored, 8 deflate. */
  method: number;
  /** The uncompressed size the headers claim. */
  size: number;
}

/** A zip archive of `entries` exactly as given (CRC fields are zero: nothing here checks them). */
export function zipOf(entries: readonly RawEntry[]): Buffer {
  const locals: Uint8Array[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(entry.method, 8);
    local.writeUInt32LE(entry.data.length, 18);
    local.writeUInt32LE(entry.size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(entry.method, 10);
    central.writeUInt32LE(entry.data.length, 20);
    central.writeUInt32LE(entry.size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, entry.data);
    centrals.push(central, name);
    offset += local.length + name.length + entry.data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/**
 * A zip whose entry `name` inflates to `mib` MiB of zeros. Its headers claim `claimedBytes`
 * (default: the truth); a lying header is the bomb that only an inflate-time cap catches.
 */
export function zipBomb(name: string, mib: number, claimedBytes = mib * MiB): Buffer {
  return zipOf([{ name, data: deflatedZeros(mib), method: 8, size: claimedBytes }]);
}
