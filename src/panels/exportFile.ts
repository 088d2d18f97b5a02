/** What the panels need to save an export (vscode-free, so it is unit tested). */
import type { ExportMessage } from '../shared/protocol';

export const EXPORT_FILTERS: Readonly<Record<ExportMessage['format'], Record<string, string[]>>> = {
  png: { 'PNG image': ['png'] },
  svg: { 'SVG image': ['svg'] },
  json: { JSON: ['json'] },
  csv: { CSV: ['csv'] },
};

const PNG_PREFIX = 'data:image/png;base64,';
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The bytes to write: png decodes the base64 data URL (and checks the PNG signature); svg,
 * json and csv are UTF-8 text. Throws with a message for people on bad content. */
export function exportBytes(format: ExportMessage['format'], content: string): Uint8Array {
  if (format !== 'png') return new Uint8Array(Buffer.from(content, 'utf8'));
  if (!content.startsWith(PNG_PREFIX)) throw new Error('the PNG is not a base64 data URL');
  const bytes = new Uint8Array(Buffer.from(content.slice(PNG_PREFIX.length), 'base64'));
  if (bytes.length < PNG_SIGNATURE.length || PNG_SIGNATURE.some((byte, i) => bytes[i] !== byte)) {
    throw new Error('the data is not a PNG image');
  }
  return bytes;
}

/** The suggested name with the format's extension (added when missing). */
export function exportFileName(format: ExportMessage['format'], suggestedName: string): string {
  const base = suggestedName.trim() || 'attention';
  return base.toLowerCase().endsWith(`.${format}`) ? base : `${base}.${format}`;
}
