import { createHash } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { type Static, Type } from 'typebox';
import { pgErrorCode } from './db.js';
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

const PG_INVALID_TEXT_CHARACTER = '22021';
const PG_UNTRANSLATABLE_CHARACTER = '22P05';

/**
 * Refuses, as the validation errors they are, values that pass the schemas but cannot be stored as sent:
 * - Ajv (8.20) coerces "Infinity" or "1e400" (in a query string, a path or a JSON string) to ±Infinity
 *   and then skips minimum/maximum, so `Type.Integer({ maximum: 100 })` lets Infinity through;
 * - a JSON string may carry a lone UTF-16 surrogate ("\ud800"), which UTF-8 (the database, the wire)
 *   cannot hold: the driver silently stores U+FFFD instead, so what is read back differs from what was sent.
 * A preHandler: it runs after validation and coercion.
 */
export function rejectUnrepresentableValues(request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
  for (const [part, value] of [
    ['params', request.params],
    ['querystring', request.query],
    ['body', request.body],
  ] as const) {
    // Fastify's params and query objects have a prototype of their own; JSON bodies are plain objects.
    const found = unrepresentable(value, 0, part !== 'body');
    if (found) {
      const [problem, ...keys] = found;
      done(new AppError(400, 'FST_ERR_VALIDATION', `${[part, ...keys.reverse()].join('/')} ${problem}`));
      return;
    }
  }
  done();
}

const LONE_SURROGATE = /\p{Surrogate}/u;
// String.prototype.isWellFormed (Node 20+; not yet in the ES2023 lib typings) is native and fastest.
const isWellFormed = (text: string): boolean => (text as { isWellFormed?: () => boolean }).isWellFormed?.() ?? !LONE_SURROGATE.test(text);

/** [problem, ...keys innermost first] of the first unrepresentable value in a parsed JSON value; plain objects and arrays only. */
function unrepresentable(value: unknown, depth: number, anyPrototype = false): (string | number)[] | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : ['must be a finite number'];
  if (typeof value === 'string') {
    return !isWellFormed(value) ? ['must be well-formed Unicode (it has a lone surrogate, \\uD800–\\uDFFF)'] : undefined;
  }
  if (value === null || typeof value !== 'object' || depth > 32) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = unrepresentable(value[i], depth + 1);
      if (found) return [...found, i];
    }
    return undefined;
  }
  // Streams, buffers and other non-JSON bodies (CSV uploads) are not walked.
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null && !anyPrototype) return undefined;
  for (const key in value) {
    const found = unrepresentable((value as Record<string, unknown>)[key], depth + 1);
    if (found) return [...found, key];
  }
  return undefined;
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
  const pgCode = pgErrorCode(error);
  // PostgreSQL text cannot hold NUL (U+0000): a request carrying one is bad input, refused before any commit.
  if (pgCode === PG_INVALID_TEXT_CHARACTER || pgCode === PG_UNTRANSLATABLE_CHARACTER) {
    return reply
      .code(400)
      .send(errorBody(400, 'INVALID_TEXT', 'Text may not contain NUL (\\u0000) characters; remove them and send the request again.'));
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
    // Fastify's own messages for these two echo the whole (possibly huge) path back.
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return 'A path parameter is longer than this server accepts; check the URL.';
    case 'FST_ERR_BAD_URL':
      return 'The URL is not validly percent-encoded; encode each path segment (encodeURIComponent).';
    default:
      return error.message;
  }
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return reply
    .code(404)
    .send(errorBody(404, 'ROUTE_NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}; see /docs for the API.`));
}

/**
 * The Content-Security-Policy of every response: scripts, styles, images and fetches from this origin
 * only, no plugins, no framing, no inline event handlers. Inline <style> and style attributes are
 * allowed (the landing page and the exchange dashboard use them; CSS cannot run code). A page with
 * inline scripts lists their exact text and gets a policy allowing those scripts by hash — nothing else.
 */
export function contentSecurityPolicy(options: { inlineScripts?: readonly string[] } = {}): string {
  const hashes = (options.inlineScripts ?? []).map((s) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`);
  return [
    "default-src 'self'",
    "base-uri 'none'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
    ['script-src', "'self'", ...hashes].join(' '),
    "script-src-attr 'none'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
  ].join('; ');
}

/** Set on every response (a route may replace the CSP with a stricter or hash-extended one). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': contentSecurityPolicy(),
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

/**
 * Errors Node's HTTP parser raises before there is a request (a client too slow to send its headers,
 * malformed HTTP, oversized headers): answered on the raw socket in the one error shape, then closed.
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message] =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'REQUEST_TIMEOUT', 'The request did not arrive in time; send it again.']
      : err.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'HEADERS_TOO_LARGE', 'The request headers are larger than this server accepts.']
        : [400, 'BAD_REQUEST', 'The request is not valid HTTP.'];
  const body = JSON.stringify(errorBody(status, code, message));
  if (socket.writable) {
    const headers = [
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
      'Connection: close',
      'Content-Type: application/json; charset=utf-8',
      `Content-Length: ${Buffer.byteLength(body)}`,
      ...Object.entries(SECURITY_HEADERS).map(([name, value]) => `${name}: ${value}`),
    ];
    socket.write(`${headers.join('\r\n')}\r\n\r\n${body}`);
  }
  socket.destroy();
}
