import { randomFillSync } from 'node:crypto';
import type { Random } from '../../../platform/random.js';

/**
 * The OS CSPRNG, read 64 KiB at a time: a draw of 100,000 prizes needs 100,000 uniform integers, and
 * one `crypto.randomInt` call per integer costs more than the rest of the draw. Integers are unbiased
 * by rejection sampling on 32-bit words (no modulo bias).
 */
export function createBufferedSecureRandom(bufferBytes = 65_536): Random {
  const buffer = Buffer.alloc(bufferBytes);
  let offset = bufferBytes;
  const nextU32 = (): number => {
    if (offset + 4 > bufferBytes) {
      randomFillSync(buffer);
      offset = 0;
    }
    const value = buffer.readUInt32BE(offset);
    offset += 4;
    return value;
  };
  return {
    float: () => (nextU32() * 2 ** 21 + (nextU32() >>> 11)) / 2 ** 53,
    int(min, max) {
      const range = max - min + 1;
      if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || range < 1 || range > 2 ** 32) {
        throw new RangeError(`cannot draw an integer in [${min}, ${max}]`);
      }
      // The largest multiple of `range` within 2^32: values at or above it would favour low results.
      const limit = 2 ** 32 - (2 ** 32 % range);
      for (;;) {
        const u = nextU32();
        if (u < limit) return min + (u % range);
      }
    },
  };
}
