import { AppError, errors } from '../../../platform/errors.js';

export interface DecodeOptions {
  /** Largest accepted file, in bytes. */
  limitBytes: number;
}

const tooLarge = (limit: number) =>
  new AppError(413, 'FILE_TOO_LARGE', `The file is larger than ${limit} bytes, the most this server accepts; split it into smaller files.`);

/**
 * Decodes an uploaded byte stream as UTF-8, chunk by chunk (nothing is buffered beyond one chunk):
 * refuses UTF-16/UTF-32 files (BOM or NUL bytes) with 415, invalid UTF-8 with 400, and anything past
 * the size limit with 413. A UTF-8 BOM is dropped.
 */
export async function* decodeUtf8(
  source: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  options: DecodeOptions,
): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let bytes = 0;
  let first = true;
  for await (const piece of source) {
    const chunk = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
    if (chunk.length === 0) continue;
    bytes += chunk.length;
    if (bytes > options.limitBytes) throw tooLarge(options.limitBytes);
    if (first) {
      first = false;
      if ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff)) {
        throw wrongEncoding('it starts with a UTF-16 byte-order mark');
      }
    }
    if (chunk.includes(0)) throw wrongEncoding('it contains NUL bytes (UTF-16 or a binary file?)');
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      throw invalidUtf8(bytes - chunk.length);
    }
    if (text.length > 0) yield text;
  }
  let rest: string;
  try {
    rest = decoder.decode();
  } catch {
    throw invalidUtf8(bytes);
  }
  if (rest.length > 0) yield rest;
}

function wrongEncoding(why: string): AppError {
  return new AppError(415, 'UNSUPPORTED_ENCODING', `The file is not UTF-8: ${why}. Save it as UTF-8 CSV and upload it again.`);
}

function invalidUtf8(afterByte: number) {
  return errors.badRequest(
    `The file is not valid UTF-8 (bad bytes after byte ${afterByte}); save it as UTF-8 CSV (not Latin-1/Windows-1252) and upload it again.`,
    'INVALID_ENCODING',
  );
}
