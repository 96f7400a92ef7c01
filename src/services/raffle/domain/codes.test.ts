import { describe, expect, it } from 'vitest';
import { CODE_ENTROPY_BITS, codeMatches, generateCode, hashCode, newSalt, normalizeCode } from './codes.js';

describe('verification codes', () => {
  it('are grouped, typeable Crockford base32 without ambiguous letters', () => {
    for (let i = 0; i < 200; i++) {
      const code = generateCode();
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
      expect(code).not.toMatch(/[ILOU]/);
    }
    expect(CODE_ENTROPY_BITS).toBe(80);
  });

  it('are not repeated', () => {
    const codes = new Set(Array.from({ length: 10_000 }, generateCode));
    expect(codes.size).toBe(10_000);
  });

  it('match regardless of case, separators and look-alike letters', () => {
    const salt = newSalt();
    const code = '0123-ABCD-EFGH-JK1M';
    const hash = hashCode(salt, code);
    expect(codeMatches(code, salt, hash)).toBe(true);
    expect(codeMatches('o123abcdefghjklm', salt, hash)).toBe(true);
    expect(codeMatches('0123 abcd efgh jkim', salt, hash)).toBe(true);
    expect(codeMatches('0123-ABCD-EFGH-JK1N', salt, hash)).toBe(false);
    expect(codeMatches('', salt, hash)).toBe(false);
    expect(codeMatches('not a code', salt, hash)).toBe(false);
  });

  it('hash differently under different salts and never contain the code', () => {
    const code = generateCode();
    const a = hashCode(newSalt(), code);
    const b = hashCode(newSalt(), code);
    expect(a.equals(b)).toBe(false);
    expect(a.toString('latin1')).not.toContain(normalizeCode(code));
  });
});
