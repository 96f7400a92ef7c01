import type { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { AppError, errors } from '../../../platform/errors.js';
import { errorResponses } from '../../../platform/http.js';
import type { App } from '../../../platform/service.js';
import { ImportQuerySchema, ImportRejectedSchema, ImportResultSchema } from '../schemas.js';
import type { PokemonUseCases } from '../use-cases/index.js';

const CSV_TYPES = ['text/csv', 'application/csv'];

function isReadable(value: unknown): value is Readable {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/** busboy reports a cut-off or garbled form ("Unexpected end of multipart data") as a plain Error: a 400. */
function malformedForm(err: unknown): unknown {
  if (err instanceof AppError || typeof (err as { statusCode?: unknown } | null)?.statusCode === 'number') return err;
  return errors.badRequest(
    `The multipart form is malformed (${err instanceof Error ? err.message : String(err)}); send one complete file part.`,
    'MALFORMED_MULTIPART',
  );
}

/** busboy stops a file at the size limit and only flags it: a cut-off file must fail, not import half. */
async function* untruncated(stream: AsyncIterable<Buffer> & { truncated: boolean }, limitBytes: number): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of stream) yield chunk;
  } catch (err) {
    throw malformedForm(err);
  }
  if (stream.truncated) {
    throw new AppError(
      413,
      'FILE_TOO_LARGE',
      `The file is larger than ${limitBytes} bytes, the most this server accepts; split it into smaller files.`,
    );
  }
}

/** The uploaded file as a byte stream: a text/csv body or the first file of a multipart form. */
async function uploadSource(
  request: FastifyRequest,
  limitBytes: number,
): Promise<AsyncIterable<Buffer | string> | Iterable<Buffer | string>> {
  if (request.isMultipart()) {
    const file = await request.file({ limits: { fileSize: limitBytes, files: 1 } }).catch((err: unknown) => {
      throw malformedForm(err);
    });
    if (!file) throw errors.badRequest('The multipart form has no file; attach the CSV file as a file field.', 'NO_FILE');
    return untruncated(file.file, limitBytes);
  }
  const contentType = request.headers['content-type'] ?? '';
  const [mediaType = '', ...params] = contentType.split(';').map((p) => p.trim().toLowerCase());
  if (!CSV_TYPES.includes(mediaType)) {
    throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the file as a text/csv body or as a multipart/form-data file upload.');
  }
  const charset = params
    .find((p) => p.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/"/g, '');
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new AppError(415, 'UNSUPPORTED_ENCODING', `Only UTF-8 CSV files are accepted (got charset=${charset}); save the file as UTF-8.`);
  }
  return isReadable(request.body) ? request.body : [];
}

export function importRoutes(app: App, { imports }: PokemonUseCases, limitBytes: number): void {
  // Hand the raw body stream to the use case: imports stream, they never buffer the whole file.
  app.addContentTypeParser(CSV_TYPES, (_request, payload, done) => done(null, payload));

  app.post(
    '/imports',
    {
      schema: {
        summary: 'Import trainers or pokemon from a CSV file (text/csv body or multipart file); all rows or none',
        description:
          'Headers: trainers `id,firstName,lastName,dateOfBirth`; pokemon `id,nickname,species,level,owner,dateOfOwnership`. ' +
          'Dates DD-MM-YYYY. Every row is validated first; any problem → 400 listing the problems and nothing written.',
        querystring: ImportQuerySchema,
        consumes: ['text/csv', 'multipart/form-data'],
        response: { 201: ImportResultSchema, 400: ImportRejectedSchema, ...errorResponses(409, 413, 415) },
      },
    },
    async (request, reply) => {
      const source = await uploadSource(request, limitBytes);
      const outcome = await imports.run({ type: request.query.type, mode: request.query.mode, source, limitBytes });
      if (outcome.ok) return reply.code(201).send(outcome.result);
      return reply.code(400).send({
        statusCode: 400,
        code: 'INVALID_ROWS',
        error: 'Bad Request',
        message: outcome.message,
        errorCount: outcome.errorCount,
        errors: outcome.errors,
      });
    },
  );
}
