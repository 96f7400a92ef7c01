import { describe, expect, it } from 'vitest';
import { decodeUtf8 } from './decode.js';

async function collect(chunks: Buffer[], limitBytes = 1_000): Promise<string> {
  let out = '';
  for await (const s of decodeUtf8(chunks, { limitBytes })) out += s;
  return out;
}

describe('decodeUtf8', () => {
  it('decodes multi-byte characters split across chunks and drops a UTF-8 BOM', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('id,é€\n', 'utf8')]);
    expect(await collect([bytes.subarray(0, 5), bytes.subarray(5, 7), bytes.subarray(7)])).toBe('id,é€\n');
  });

  it('refuses a UTF-16 file with 415', async () => {
    await expect(collect([Buffer.from('\ufeffid', 'utf16le')])).rejects.toMatchObject({ statusCode: 415, code: 'UNSUPPORTED_ENCODING' });
    await expect(collect([Buffer.from('id,x', 'utf16le')])).rejects.toMatchObject({ statusCode: 415 });
  });

  it('refuses invalid UTF-8 (Latin-1) with 400', async () => {
    await expect(collect([Buffer.from('id,caf\xe9\n', 'latin1')])).rejects.toMatchObject({ statusCode: 400, code: 'INVALID_ENCODING' });
  });

  it('refuses a truncated multi-byte sequence at the end', async () => {
    await expect(collect([Buffer.from([0x61, 0xe2, 0x82])])).rejects.toMatchObject({ statusCode: 400 });
  });

  it('refuses files over the limit with 413', async () => {
    await expect(collect([Buffer.alloc(600, 0x61), Buffer.alloc(600, 0x61)])).rejects.toMatchObject({ statusCode: 413 });
  });
});
