import { randomBytes, randomInt } from 'node:crypto';

/** Injectable randomness. `secureRandom` draws from the OS CSPRNG; `seededRandom` replays a seed. */
export interface Random {
  /** Uniform float in [0, 1). */
  float(): number;
  /** Uniform integer in [min, max] (inclusive). */
  int(min: number, max: number): number;
}

export const secureRandom: Random = {
  // 53 random bits → a float with full double precision.
  float: () => Number(randomBytes(7).readBigUInt64BE(0) >> 3n) / 2 ** 53,
  int: (min, max) => randomInt(min, max + 1),
};

export function secureToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * sfc32 seeded through a 32-bit string hash: fast, well-distributed, reproducible across platforms.
 * Not for secrets — for simulations and replays, where the same seed must give the same run.
 */
export function seededRandom(seed: number | string): Random {
  const h = hashSeed(String(seed));
  let a = h[0] ?? 0;
  let b = h[1] ?? 0;
  let c = h[2] ?? 0;
  let d = h[3] ?? 0;
  const next = (): number => {
    a |= 0;
    b |= 0;
    c |= 0;
    d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 15; i++) next();
  return {
    float: next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
  };
}

/** cyrb128: four 32-bit words from a string. */
function hashSeed(str: string): number[] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < str.length; i++) {
    const k = str.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}
