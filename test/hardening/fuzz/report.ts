import { STATUS_CODES } from 'node:http';
import type { FuzzRequest } from './requests.js';

/** Why an error response does not have the one error shape, or undefined when it does. */
export function errorShapeProblem(status: number, contentType: string | undefined, text: string): string | undefined {
  if (!/^application\/json/.test(contentType ?? '')) return `content-type ${contentType ?? 'missing'}, not JSON`;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return 'body is not JSON';
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'body is not an object';
  const { statusCode, code, error, message } = body as Record<string, unknown>;
  if (statusCode !== status) return `statusCode ${JSON.stringify(statusCode)} is not the HTTP status ${status}`;
  if (typeof code !== 'string' || code === '') return 'code missing';
  if (error !== STATUS_CODES[status]) return `error ${JSON.stringify(error)} is not ${JSON.stringify(STATUS_CODES[status])}`;
  if (typeof message !== 'string' || message === '') return 'message missing';
  return undefined;
}

export const clip = (text: string, max = 300) => (text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text);

export function describeRequest(index: number, request: FuzzRequest): string {
  return [
    `request #${index} [${request.kind}] ${request.operation} — ${request.detail}`,
    `  ${request.method} ${clip(request.url, 200)} from ${request.remoteAddress}`,
    `  headers ${clip(JSON.stringify(request.headers), 200)}`,
    request.payload !== undefined ? `  body ${clip(JSON.stringify(request.payload))}` : '  no body',
  ].join('\n');
}
