import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { type Static, Type } from 'typebox';
import { AppError, errorBody } from './errors.js';

export const ErrorSchema = Type.Object(
  {
    statusCode: Type.Integer({ description: 'Equals the HTTP status.' }),
    code: Type.String({ description: 'Stable machine-readable code, e.g. NOT_FOUND or FST_ERR_VALIDATION.' }),
    error: Type.String({ description: 'HTTP status text.' }),
    message: Type.String({ description: 'What went wrong and what to do about it.' }),
  },
  { $id: 'Error', title: 'Error' },
);
export type ErrorResponse = Static<typeof ErrorSchema>;

/** `{ 400: Error, 404: Error, … }` for a route's response schema. */
export function errorResponses(...statuses: number[]): Record<number, typeof ErrorSchema> {
  return Object.fromEntries(statuses.map((s) => [s, ErrorSchema]));
}

// Connection-level failures of PostgreSQL or Redis: the dependency is down, not the request wrong.
const UNAVAILABLE_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH']);
const UNAVAILABLE_PG_CLASSES = ['08', '57P', '53'];

export function isDependencyFailure(err: unknown): boolean {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const { code, message, name } = current as { code?: unknown; message?: unknown; name?: unknown };
    if (typeof code === 'string' && (UNAVAILABLE_ERRNOS.has(code) || UNAVAILABLE_PG_CLASSES.some((c) => code.startsWith(c)))) {
      return true;
    }
    if (name === 'MaxRetriesPerRequestError') return true;
    if (
      typeof message === 'string' &&
      /Connection is closed|Stream isn't writeable|Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
        message,
      )
    ) {
      return true;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * The one error renderer: our AppErrors, Fastify's own 4xx (validation, bad JSON, wrong content type,
 * oversized body) and dependency outages keep their meaning; anything else is a logged, generic 500.
 */
export function errorHandler(error: FastifyError | AppError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof AppError) {
    return reply
      .code(error.statusCode)
      .headers(error.headers)
      .send(errorBody(error.statusCode, error.code, error.message));
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    return reply.code(400).send(errorBody(400, 'FST_ERR_VALIDATION', fastifyError.message));
  }
  const status = fastifyError.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return reply.code(status).send(errorBody(status, fastifyError.code ?? 'BAD_REQUEST', friendlyMessage(fastifyError)));
  }
  if (isDependencyFailure(error)) {
    request.log.warn({ err: error }, 'dependency unavailable');
    return reply
      .code(503)
      .header('retry-after', '1')
      .send(errorBody(503, 'DEPENDENCY_UNAVAILABLE', 'A backing service (database or Redis) is unavailable; retry shortly.'));
  }
  request.log.error({ err: error }, 'unhandled error');
  return reply
    .code(500)
    .send(errorBody(500, 'INTERNAL_ERROR', `Internal server error; quote request id ${String(request.id)} when reporting it.`));
}

function friendlyMessage(error: FastifyError): string {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return `${error.message}; send the body as application/json (or the type the endpoint documents).`;
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'Request body is larger than this server accepts.';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return "Body cannot be empty when content-type is set to 'application/json'; send a JSON body or no content-type.";
    default:
      return error.message;
  }
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return reply
    .code(404)
    .send(errorBody(404, 'ROUTE_NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}; see /docs for the API.`));
}
