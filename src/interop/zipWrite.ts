import { ByteWriter, crc32 } from './bytes';

/**
 * Writes a zip archive the way PyTorch's PyTorchStreamWriter (miniz) does: stored entries whose
 * data start on 64-byte boundaries (padded with an "FB" extra field of 'Z's), zero sizes in the
 * local headers followed by data descriptors, and a zip64 end record before the classic one.
 * torch.load and Python's zipfile read it like a file torch.save wrote.
 */
const ALIGNMENT = 64;
const FLAGS = 0x0808; // bit 3: sizes in a data descriptor; bit 11: UTF-8 names

export function writeTorchZip(entries: readonly [string, Uint8Array][]): Buffer {
  const w = new ByteWriter();
  const central: { name: Buffer; crc: number; size: number; offset: number }[] = [];
  for (const [entryName, data] of entries) {
    const name = Buffer.from(entryName, 'utf8');
    const offset = w.length;
    const crc = crc32(data);
    const padding = paddingAfter(offset + 30 + name.length + 4);
    w.u32(0x04034b50).u16(0).u16(FLAGS).u16(0).u16(0).u16(0);
    w.u32(0)
      .u32(0)
      .u32(0)
      .u16(name.length)
      .u16(padding + 4);
    w.bytes(name).ascii('FB').u16(padding).bytes(Buffer.alloc(padding, 'Z'));
    w.bytes(data);
    w.u32(0x08074b50).u32(crc).u32(data.length).u32(data.length);
    central.push({ name, crc, size: data.length, offset });
  }
  const directoryAt = w.length;
  for (const e of central) {
    w.u32(0x02014b50).u16(0).u16(0).u16(FLAGS).u16(0).u16(0).u16(0);
    w.u32(e.crc).u32(e.size).u32(e.size).u16(e.name.length).u16(0).u16(0);
    w.u16(0).u16(0).u32(0).u32(e.offset).bytes(e.name);
  }
  const directorySize = w.length - directoryAt;
  const zip64At = w.length;
  w.u32(0x06064b50).u64(44).u16(0x031e).u16(45).u32(0).u32(0);
  w.u64(central.length).u64(central.length).u64(directorySize).u64(directoryAt);
  w.u32(0x07064b50).u32(0).u64(zip64At).u32(1);
  w.u32(0x06054b50).u16(0).u16(0).u16(central.length).u16(central.length);
  w.u32(directorySize).u32(directoryAt).u16(0);
  return w.toBuffer();
}

function paddingAfter(position: number): number {
  const mod = position % ALIGNMENT;
  return mod === 0 ? 0 : ALIGNMENT - mod;
}
