/**
 * Shops' API keys at rest: AES-256-GCM under a key derived from EXCHANGE_ADMIN_KEY. The exchange must
 * send the keys, so it cannot only hash them; a database dump alone does not reveal them.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

export interface KeyBox {
  seal(plain: string): string;
  /** undefined when the cipher text was sealed under another operator key (or is damaged). */
  open(sealed: string): string | undefined;
}

export function createKeyBox(operatorKey: string): KeyBox {
  const key = createHash('sha256').update(`guildhall-exchange-shop-keys:${operatorKey}`, 'utf8').digest();
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
    },
    open(sealed) {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== 'v1' || !iv || !tag || body === undefined) return undefined;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        return undefined;
      }
    },
  };
}
