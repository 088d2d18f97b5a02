/**
 * One way to write a size for people, shared by the core's messages (corpus limits, model-file
 * limits), the host's run-history notices and the Compare Runs table: binary units, as the
 * settings (`runHistoryLimitMB`) and the limits are defined.
 */
const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

/** `n` bytes: "22 bytes", "1.5 KB", "64 MB", "2.8 GB". */
export function formatBytes(n: number): string {
  if (n < KiB) return `${n} bytes`;
  const [value, unit] = n < MiB ? [n / KiB, 'KB'] : n < GiB ? [n / MiB, 'MB'] : [n / GiB, 'GB'];
  return `${Number(value.toFixed(1))} ${unit}`;
}
