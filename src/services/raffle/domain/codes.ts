import { createHash, randomBytes } from 'node:crypto';
import { equalDigests } from '../../../platform/secrets.js';

/**
 * Verification codes: 16 symbols of Crockford's base32 (no I, L, O, U), shown as XXXX-XXXX-XXXX-XXXX.
 * Each symbol carries 5 bits from the CSPRNG, so a code has 80 bits of entropy.
 *
 * Stored only as SHA-256(salt ‖ code) with a random 128-bit salt per ticket. A fast hash is the right
 * tool for a high-entropy random secret (a slow password hash protects low-entropy secrets, and would
 * cost tens of milliseconds per verification): against the verification rate limit (rate-limit.ts:
 * 10 attempts per ticket per 15 minutes) a guess succeeds with a chance near 3·10^-19 per ticket-year,
 * and against a stolen database each ticket costs 2^80 hashes. The reasoning is in ../README.md.
 */
export const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_SYMBOLS = 16;
export const CODE_ENTROPY_BITS = CODE_SYMBOLS * 5;

export function generateCode(): string {
  const bytes = randomBytes(CODE_SYMBOLS);
  let code = '';
  for (let i = 0; i < CODE_SYMBOLS; i++) {
    // 256 is a multiple of 32: the low 5 bits of a uniform byte are uniform.
    code += CODE_ALPHABET[(bytes[i] as number) & 31];
    if (i % 4 === 3 && i < CODE_SYMBOLS - 1) code += '-';
  }
  return code;
}

/**
 * The canonical form of a typed code, or undefined when it cannot be one: case and separators
 * (hyphens, spaces) do not matter and the look-alikes O→0, I/L→1 are read as Crockford decoding does.
 */
export function normalizeCode(typed: string): string | undefined {
  const canonical = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (canonical.length !== CODE_SYMBOLS) return undefined;
  for (const ch of canonical) if (!CODE_ALPHABET.includes(ch)) return undefined;
  return canonical;
}

export function newSalt(): Buffer {
  return randomBytes(16);
}

export function hashCode(salt: Uint8Array, code: string): Buffer {
  const canonical = normalizeCode(code);
  if (canonical === undefined) throw new RangeError('not a verification code');
  return createHash('sha256').update(salt).update(canonical, 'utf8').digest();
}

/** Constant-time check of a typed code against the stored salt and hash. */
export function codeMatches(typed: string, salt: Uint8Array, storedHash: Uint8Array): boolean {
  const canonical = normalizeCode(typed);
  // Hash something even for a malformed code, so timing does not say which check failed.
  const presented = createHash('sha256')
    .update(salt)
    .update(canonical ?? '', 'utf8')
    .digest();
  return equalDigests(presented, storedHash) && canonical !== undefined;
}
