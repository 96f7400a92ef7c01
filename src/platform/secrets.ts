import { createHash, timingSafeEqual } from 'node:crypto';

/** SHA-256 hex of a high-entropy secret (API keys, tokens, codes). Not for passwords. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/**
 * Constant-time equality of presented secrets with one expected secret. Both sides are hashed first so
 * that neither the content nor the length of the expected secret leaks through timing; the expected
 * one is hashed once, as the check runs on every request.
 */
export function secretMatcher(expected: string): (presented: string | undefined) => boolean {
  // An empty key would let an empty header in; config never yields one, and this keeps it so.
  if (expected === '') throw new Error('secretMatcher needs a non-empty secret');
  const digest = createHash('sha256').update(expected, 'utf8').digest();
  return (presented) => presented !== undefined && timingSafeEqual(createHash('sha256').update(presented, 'utf8').digest(), digest);
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
