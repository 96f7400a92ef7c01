import type { OpenAPIV3 } from 'openapi-types';
import type { Rng } from './rng.js';

export type Schema = OpenAPIV3.SchemaObject;

/** JSON text that JavaScript cannot hold as a value (1e400, 2^70 written out, -0). */
export class Raw {
  constructor(readonly text: string) {}
}
export type Value = null | boolean | number | string | Raw | Value[] | { [key: string]: Value };

/** JSON.stringify that writes Raw tokens verbatim. */
export function toJson(value: Value): string {
  if (value instanceof Raw) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}:${toJson(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A value as it appears in a path segment or query string. */
export function toText(value: Value): string {
  if (value instanceof Raw) return value.text;
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object') return String(value);
  return toJson(value);
}

/** Known values (ids, skus, codes) harvested from earlier responses, by property name. */
export type Pool = (name: string | undefined) => Value[] | undefined;

const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'fox', 'golf', 'hotel', 'india', 'juliet', 'kilo', 'lima'];
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function alnum(rng: Rng, length: number, alphabet = ALNUM): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[rng.int(0, alphabet.length - 1)];
  return out;
}

function uuid(rng: Rng): string {
  const hex = () => alnum(rng, 1, '0123456789abcdef');
  const part = (n: number) => Array.from({ length: n }, hex).join('');
  return `${part(8)}-${part(4)}-4${part(3)}-${rng.pick(['8', '9', 'a', 'b'])}${part(3)}-${part(12)}`;
}

/** Generators for the patterns the API uses; anything else falls back to a search over alphanumerics. */
const PATTERN_GENERATORS: Record<string, (rng: Rng) => string> = {
  '^[A-Za-z0-9_]{1,20}$': (rng) => alnum(rng, rng.int(1, 12), `${ALNUM}_`),
  '\\S': (rng) => `${rng.pick(WORDS)} ${rng.pick(WORDS)}`,
  '^[^\\s@]+@[^\\s@]+$': (rng) => `${rng.pick(WORDS)}.${alnum(rng, 6)}@${rng.pick(WORDS)}.test`,
  '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$': (rng) => `${alnum(rng, 1)}${alnum(rng, rng.int(0, 10), `${ALNUM}._-`)}`,
  '^\\d{4}-\\d{2}-\\d{2}$': (rng) =>
    `${rng.int(1950, 2015)}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`,
};

function fitLength(text: string, schema: Schema, rng: Rng): string {
  let out = text;
  const min = schema.minLength ?? 0;
  if (out.length < min) out += alnum(rng, min - out.length);
  if (schema.maxLength !== undefined && out.length > schema.maxLength) out = out.slice(0, schema.maxLength);
  return out;
}

function validString(schema: Schema, rng: Rng): string {
  if (schema.format === 'uuid') return uuid(rng);
  if (schema.format === 'date-time') return new Date(Date.UTC(2020, 0, 1) + rng.int(0, 5e10)).toISOString();
  if (schema.format === 'date') return new Date(Date.UTC(1990, 0, 1) + rng.int(0, 9e11)).toISOString().slice(0, 10);
  if (schema.pattern) {
    const known = PATTERN_GENERATORS[schema.pattern];
    const re = new RegExp(schema.pattern, 'u');
    for (let attempt = 0; attempt < 20; attempt++) {
      const candidate = fitLength(known ? known(rng) : alnum(rng, rng.int(1, 12)), schema, rng);
      if (re.test(candidate)) return candidate;
    }
  }
  return fitLength(rng.chance(0.5) ? rng.pick(WORDS) : alnum(rng, rng.int(1, 12)), schema, rng);
}

function validNumber(schema: Schema, rng: Rng, integer: boolean): number {
  let lo = schema.minimum ?? (rng.chance(0.8) ? 0 : -1000);
  let hi = schema.maximum ?? lo + 1000;
  if (typeof schema.exclusiveMinimum === 'number') lo = schema.exclusiveMinimum + 1;
  if (typeof schema.exclusiveMaximum === 'number') hi = schema.exclusiveMaximum - 1;
  if (integer) {
    lo = Math.ceil(lo);
    hi = Math.floor(hi);
  }
  // Mostly small values near the minimum (real ids, counts, amounts that fit a total); sometimes anywhere.
  const span = rng.weighted({ 5: 5, 30: 3, all: 2 });
  const top = span === 'all' ? hi : Math.min(hi, lo + Number(span));
  const value = lo + rng.float() * (top - lo);
  return integer ? Math.min(hi, Math.max(lo, Math.round(value))) : value;
}

/** A value the schema accepts (as far as this generator knows the schema's keywords). */
export function validValue(schema: Schema, rng: Rng, pool: Pool, name?: string, depth = 0): Value {
  const known = pool(name);
  if (known && known.length > 0 && rng.chance(0.7) && schema.type !== 'object' && schema.type !== 'array') return rng.pick(known);
  if (schema.enum && schema.enum.length > 0) return rng.pick(schema.enum as Value[]);
  const branches = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (branches && branches.length > 0) return validValue(rng.pick(branches), rng, pool, name, depth);
  if (schema.allOf && schema.allOf.length > 0) return validValue(schema.allOf[0] as Schema, rng, pool, name, depth);
  if (schema.default !== undefined && rng.chance(0.2)) return schema.default as Value;
  if (schema.nullable && rng.chance(0.1)) return null;
  const type = schema.type ?? (schema.properties ? 'object' : 'string');
  switch (type) {
    case 'string':
      return validString(schema, rng);
    case 'integer':
      return validNumber(schema, rng, true);
    case 'number':
      return validNumber(schema, rng, false);
    case 'boolean':
      return rng.chance(0.5);
    case 'array': {
      const items = (schema as OpenAPIV3.ArraySchemaObject).items as Schema;
      const min = schema.minItems ?? 0;
      const max = Math.min(schema.maxItems ?? min + 3, min + (depth > 2 ? 1 : 3));
      return Array.from({ length: rng.int(min, max) }, () => validValue(items, rng, pool, name, depth + 1));
    }
    case 'object': {
      const out: Record<string, Value> = {};
      const required = new Set(schema.required ?? []);
      for (const [key, child] of Object.entries(schema.properties ?? {})) {
        if (required.has(key) || rng.chance(0.5)) out[key] = validValue(child as Schema, rng, pool, key, depth + 1);
      }
      return out;
    }
    default:
      return null;
  }
}
