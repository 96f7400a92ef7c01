import type { FastifySchemaCompiler, FastifySchemaValidationError } from 'fastify';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';

type ValidationFunction = ReturnType<FastifySchemaCompiler<TSchema>>;

const INTEGER = /^-?[0-9]+$/;
const NUMBER = /^-?[0-9]+(\.[0-9]+)?$/;

/**
 * Query strings and path params are text: a value is turned into the declared number only when it
 * is written as one ("1.5" stays text for an integer field, and fails). Nothing is truncated.
 */
function convertText(schema: TSchema, data: unknown): unknown {
  const properties = (schema as { properties?: Record<string, { type?: unknown }> }).properties;
  if (!properties || typeof data !== 'object' || data === null) return data;
  const out: Record<string, unknown> = { ...(data as Record<string, unknown>) };
  for (const [key, prop] of Object.entries(properties)) {
    const v = out[key];
    if (typeof v !== 'string') continue;
    if (prop.type === 'integer' && INTEGER.test(v)) out[key] = Number(v);
    else if (prop.type === 'number' && NUMBER.test(v)) out[key] = Number(v);
  }
  return out;
}

/**
 * This service's validator: JSON bodies are checked as sent — `{"name": 123}` is a 400, not the
 * string "123" (the platform's Ajv coerces types everywhere) — while query strings and path params
 * are converted strictly first. Failures keep Fastify's own 400 FST_ERR_VALIDATION shape
 * ("body/name must be string").
 */
export const strictBodyValidatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const compiled = Compile(schema);
  const convert = httpPart !== 'body';
  const validate: ValidationFunction = (data: unknown) => {
    const value = convert ? convertText(schema, data ?? {}) : data;
    if (compiled.Check(value)) return { value };
    validate.errors = [...compiled.Errors(value)].slice(0, 5) as unknown as FastifySchemaValidationError[];
    return false;
  };
  return validate;
};
