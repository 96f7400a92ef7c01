import { createHash, timingSafeEqual } from 'node:crypto';

/** SHA-256 hex of a high-entropy secret (API keys, tokens, codes). Not for passwords. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/**
 * Constant-time equality of a presented secret and the expected one. Both sides are hashed first so
 * that neither the content nor the length of the expected secret leaks through timing.
 */
export function safeEqual(presented: string | undefined, expected: string): boolean {
  return secretMatcher(expected)(presented);
}

/** `safeEqual` against one expected secret, hashed once: for a check that runs on every request. */
export function secretMatcher(expected: string): (presented: string | undefined) => boolean {
  const digest = createHash('sha256').update(expected, 'utf8').digest();
  return (presented) => presented !== undefined && timingSafeEqual(createHash('sha256').update(presented, 'utf8').digest(), digest);
}

/** Constant-time comparison of a presented secret with a stored `hashSecret` hex digest. */
export function matchesHash(presented: string | undefined, storedHex: string): boolean {
  if (presented === undefined || !/^[0-9a-f]{64}$/.test(storedHex)) return false;
  return timingSafeEqual(Buffer.from(hashSecret(presented), 'hex'), Buffer.from(storedHex, 'hex'));
}

/**
 * Constant-time equality of two digests (salted hashes of codes, HMACs). Digest lengths are public,
 * so a length mismatch may answer early.
 */
export function equalDigests(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The bearer token of an `Authorization: Bearer …` header, if any. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}
