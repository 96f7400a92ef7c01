import { type DestinationStream, type Logger, pino } from 'pino';
import type { Config } from './config.js';

/** Header and body fields that carry credentials; pino replaces them with "[redacted]". */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["access_token"]',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  '*.password',
  '*.token',
  '*.apiKey',
  '*.api_key',
  '*.key',
  '*.verification_code',
];

/** Query parameters whose values are credentials when a client puts one in a URL (none of ours asks to). */
const SECRET_PARAM = /token|key|secret|password|passwd|code|signature|auth/i;

/** `url` with the values of credential-like query parameters replaced by "[redacted]". */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = url
    .slice(q + 1)
    .split('&')
    .map((param) => {
      const eq = param.indexOf('=');
      if (eq < 0) return param;
      let name = param.slice(0, eq);
      try {
        name = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        // A malformed escape: judge the name as written.
      }
      return SECRET_PARAM.test(name) ? `${param.slice(0, eq)}=[redacted]` : param;
    });
  return `${url.slice(0, q)}?${params.join('&')}`;
}

interface LoggedRequest {
  method: string;
  url: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

/** Fastify's request serializer, with credentials in the query string redacted. */
function serializeRequest(req: LoggedRequest) {
  return { method: req.method, url: redactUrl(req.url), host: req.host, remoteAddress: req.ip, remotePort: req.socket?.remotePort };
}

export function createLogger(config: Pick<Config, 'LOG_LEVEL'>, destination?: DestinationStream): Logger {
  const options = {
    level: config.LOG_LEVEL,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    // Fastify merges these over its own serializers (logger-factory.js), so this one replaces its `req`.
    serializers: { req: serializeRequest },
    base: { pid: process.pid },
  };
  return destination ? pino(options, destination) : pino(options);
}
