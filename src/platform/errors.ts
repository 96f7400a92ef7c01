import { STATUS_CODES } from 'node:http';

/** A broken rule or bad input, rendered as `{ statusCode, code, error, message }`. */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const errors = {
  badRequest: (message: string, code = 'BAD_REQUEST') => new AppError(400, code, message),
  unauthorized: (message: string, code = 'UNAUTHORIZED') => new AppError(401, code, message),
  forbidden: (message: string, code = 'FORBIDDEN') => new AppError(403, code, message),
  notFound: (message: string, code = 'NOT_FOUND') => new AppError(404, code, message),
  conflict: (message: string, code = 'CONFLICT') => new AppError(409, code, message),
  gone: (message: string, code = 'GONE') => new AppError(410, code, message),
  unprocessable: (message: string, code = 'UNPROCESSABLE') => new AppError(422, code, message),
  tooManyRequests: (message: string, retryAfterSeconds: number, code = 'TOO_MANY_REQUESTS') =>
    new AppError(429, code, message, { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) }),
  unavailable: (message: string, retryAfterSeconds = 1, code = 'SERVICE_UNAVAILABLE') =>
    new AppError(503, code, message, { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) }),
};

export interface ErrorBody {
  statusCode: number;
  code: string;
  error: string;
  message: string;
}

export function errorBody(statusCode: number, code: string, message: string): ErrorBody {
  return { statusCode, code, error: STATUS_CODES[statusCode] ?? 'Error', message };
}
