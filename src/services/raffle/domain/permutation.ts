import { createHmac, createSecretKey } from 'node:crypto';

/**
 * The hand-out order of a raffle: a keyed pseudorandom permutation of 0..N-1. Claim k (the k-th
 * successful claim, from an atomic counter) receives ticket `permute(k) + 1`, so a claim costs a few
 * HMACs whatever N is, creation writes no per-ticket rows, and nobody without the key can predict
 * which number comes next (or tell from the numbers seen so far).
 *
 * Construction: a balanced Feistel network over the smallest power-of-4 domain 2^(2h) ≥ N (two h-bit
 * halves), with HMAC-SHA256(key, round ‖ half) as round function, and cycle-walking to stay inside
 * 0..N-1. The domain is below 4N, so a step walks fewer than 4 times on average. Eight rounds is well
 * past the 4 a Feistel network needs to be a strong pseudorandom permutation (Luby–Rackoff).
 * A Feistel network is a bijection whatever its round function, so every ticket is handed out exactly
 * once; `unpermute` inverts it (verification maps a ticket number back to its claim).
 */
export interface Permutation {
  readonly size: number;
  /** Bytes held by the memo of round-function outputs (for sizing a cache of permutations). */
  readonly memoryBytes: number;
  permute(index: number): number;
  unpermute(value: number): number;
}

const ROUNDS = 8;
/** Largest supported raffle: the halves must fit the 32-bit operations below. */
export const MAX_PERMUTATION_SIZE = 2 ** 30;

export function createPermutation(key: Uint8Array, size: number): Permutation {
  if (!Number.isSafeInteger(size) || size < 1 || size > MAX_PERMUTATION_SIZE) {
    throw new RangeError(`permutation size must be an integer in 1..${MAX_PERMUTATION_SIZE}, got ${size}`);
  }
  if (key.length < 16) throw new RangeError('permutation key must have at least 128 bits');
  let halfBits = 1;
  while (2 ** (2 * halfBits) < size) halfBits++;
  const halfSize = 2 ** halfBits;
  const mask = halfSize - 1;
  const input = Buffer.alloc(5);
  // Imported once: a KeyObject saves re-reading the raw key on each HMAC.
  const hmacKey = createSecretKey(key);
  // The round function only ever sees ROUNDS × 2^halfBits distinct inputs, so each output is computed
  // once and remembered (-1: not yet): a claim or a verification then costs table look-ups instead of
  // a dozen HMACs. The outputs are exactly the HMAC's, so the order of existing raffles is unchanged.
  // At most 8 × 2^15 entries of 2 bytes (512 KiB) for the largest domain; 16 KiB at a million tickets.
  const memo = new Int16Array(ROUNDS * halfSize).fill(-1);

  const round = (i: number, half: number): number => {
    const slot = i * halfSize + half;
    const known = memo[slot] as number;
    if (known >= 0) return known;
    input.writeUInt8(i, 0);
    input.writeUInt32BE(half, 1);
    const value = createHmac('sha256', hmacKey).update(input).digest().readUInt32BE(0) & mask;
    memo[slot] = value;
    return value;
  };
  const encrypt = (x: number): number => {
    let left = Math.floor(x / halfSize);
    let right = x & mask;
    for (let i = 0; i < ROUNDS; i++) {
      const next = (left ^ round(i, right)) & mask;
      left = right;
      right = next;
    }
    return left * halfSize + right;
  };
  const decrypt = (y: number): number => {
    let left = Math.floor(y / halfSize);
    let right = y & mask;
    for (let i = ROUNDS - 1; i >= 0; i--) {
      const previous = (right ^ round(i, left)) & mask;
      right = left;
      left = previous;
    }
    return left * halfSize + right;
  };
  const check = (n: number) => {
    if (!Number.isInteger(n) || n < 0 || n >= size) throw new RangeError(`index ${n} outside 0..${size - 1}`);
  };
  return {
    size,
    memoryBytes: memo.byteLength,
    permute(index) {
      check(index);
      // Cycle-walking: re-encrypt until back inside 0..size-1; terminates because the walk follows
      // the cycle of a bijection that contains `index` itself.
      let y = encrypt(index);
      while (y >= size) y = encrypt(y);
      return y;
    },
    unpermute(value) {
      check(value);
      let x = decrypt(value);
      while (x >= size) x = decrypt(x);
      return x;
    },
  };
}
