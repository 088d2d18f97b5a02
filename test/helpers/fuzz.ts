/**
 * A deterministic fuzz harness for the model-file readers: each input must read or fail with an
 * InteropError, quickly (test/unit/interop-fuzz-*.test.ts).
 */
import { strict as assert } from 'node:assert';
import { InteropError } from '../../src/interop/errors';
import { OP } from '../../src/interop/pickleOpcodes';
import { Rng } from '../../src/util/rng';

/** Runs `read` on every input; fails on any exception but InteropError or any slow input. */
export class Fuzz {
  readonly outcomes = { read: 0, refused: 0 };
  private slowest = { ms: 0, label: '' };

  run(label: string, read: () => unknown): void {
    const started = performance.now();
    try {
      read();
      this.outcomes.read++;
    } catch (err) {
      if (!(err instanceof InteropError)) {
        assert.fail(`${label}: threw ${(err as Error)?.name}: ${(err as Error)?.message}`);
      }
      this.outcomes.refused++;
    }
    const ms = performance.now() - started;
    if (ms > this.slowest.ms) this.slowest = { ms, label };
  }

  /** No single input may take long: the readers are linear in the file. */
  checkSpeed(maxMs = 500): void {
    assert.ok(
      this.slowest.ms < maxMs,
      `${this.slowest.label} took ${this.slowest.ms.toFixed(0)} ms`,
    );
  }
}

/** Positions 0..dense, then every `step`-th up to `length`. */
export function cutPoints(length: number, dense: number, step: number): number[] {
  const out: number[] = [];
  for (let n = 0; n < length; n += n < dense ? 1 : step) out.push(n);
  return out;
}

/** `bytes` with 1–3 random bits flipped between `from` and `to`. */
export function flipped(bytes: Uint8Array, rng: Rng, from = 0, to = bytes.length): Buffer {
  const copy = Buffer.from(bytes);
  const flips = 1 + rng.int(3);
  for (let i = 0; i < flips; i++) copy[from + rng.int(to - from)] ^= 1 << rng.int(8);
  return copy;
}

/** PROTO 2 followed by `parts`: opcode bytes, latin1 strings (opcode letters) or raw bytes. */
export function pickleBytes(...parts: (number | string | Uint8Array)[]): Buffer {
  const chunks = parts.map((p) =>
    typeof p === 'number' ? Buffer.from([p]) : typeof p === 'string' ? Buffer.from(p, 'latin1') : p,
  );
  return Buffer.concat([Buffer.from([OP.PROTO, 2]), ...chunks]);
}

/** A little-endian uint32 (pickle lengths and memo indices). */
export function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}
