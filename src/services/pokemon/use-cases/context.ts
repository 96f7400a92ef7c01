import { randomUUID } from 'node:crypto';
import type { Clock } from '../../../platform/clock.js';
import type { Db } from '../../../platform/db.js';
import { errors } from '../../../platform/errors.js';
import { parseIsoDate } from '../domain/dates.js';
import type { Page } from '../schemas.js';
import type { ReadCache } from './read-cache.js';

export interface Deps {
  db: Db;
  clock: Clock;
  cache: ReadCache;
}

export function page<T>(items: T[], total: number, pageNo: number, limit: number): Page<T> {
  return { items, page: pageNo, limit, total, totalPages: Math.ceil(total / limit) };
}

export function offsetOf(pageNo: number, limit: number): number {
  return (pageNo - 1) * limit;
}

/** A real calendar day or a 400 naming the field. */
export function isoDateOrThrow(value: string, field: string): string {
  const parsed = parseIsoDate(value);
  if (parsed === undefined) throw errors.badRequest(`${field} "${value}" is not a real date in the form YYYY-MM-DD.`, 'INVALID_DATE');
  return parsed;
}

export function generatedId(kind: 'trainer' | 'pokemon'): string {
  return `${kind}-${randomUUID()}`;
}
