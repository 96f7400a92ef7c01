import type { OpenAPIV3 } from 'openapi-types';
import { hugeString, mutate, type ValueMutation } from './mutations.js';
import type { Rng } from './rng.js';
import { BAD_SEGMENTS, MALFORMED_JSON, PROTOTYPE_BODIES, REMOTE_ADDRESSES, UNICODE_SAMPLES } from './samples.js';
import { type Pool, type Schema, toJson, toText, type Value, validValue } from './values.js';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
type Method = (typeof METHODS)[number];

export interface Operation {
  method: Method;
  path: string;
  /** First path segment: `pokemon` for `/pokemon/trainers`. Pools of known ids are kept per service. */
  service: string;
  op: OpenAPIV3.OperationObject;
  /** Methods the path does not serve (wrong-method requests). */
  otherMethods: Method[];
}

export interface FuzzRequest {
  operation: string;
  kind: RequestKind;
  detail: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
  remoteAddress: string;
}

export type RequestKind =
  | 'valid'
  | ValueMutation
  | 'malformed-json'
  | 'content-type'
  | 'prototype'
  | 'wrong-method'
  | 'bad-path'
  | 'wrong-auth'
  | 'csv';

const KIND_WEIGHTS: Record<Exclude<RequestKind, 'csv'>, number> = {
  valid: 20,
  'wrong-type': 9,
  null: 4,
  missing: 8,
  extra: 7,
  'huge-string': 6,
  'huge-number': 8,
  unicode: 10,
  'negative-zero': 8,
  boundary: 7,
  'malformed-json': 5,
  'content-type': 3,
  prototype: 2,
  'wrong-method': 4,
  'bad-path': 3,
  'wrong-auth': 3,
};

/** A correct credential for a security scheme, as the header it travels in. */
export type Credentials = Record<string, { header: string; value: string }>;

export interface GeneratorContext {
  rng: Rng;
  pool(service: string): Pool;
  credentials: Credentials;
  /** Operations (`POST /x`) that must never run with a correct credential (they reach outside the process). */
  noCorrectAuth: ReadonlySet<string>;
  /** Hand-written body generators for operations whose body the OpenAPI document does not describe. */
  customBodies: Record<string, (rng: Rng) => { payload: string; contentType: string; detail: string }>;
}

export function operationsOf(doc: OpenAPIV3.Document): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!item) continue;
    const served = METHODS.filter((m) => item[m] !== undefined);
    for (const method of served) {
      out.push({
        method,
        path,
        service: path.split('/')[1] ?? '',
        op: item[method] as OpenAPIV3.OperationObject,
        otherMethods: METHODS.filter((m) => !served.includes(m)),
      });
    }
  }
  return out;
}

export const operationName = (operation: Operation): string => `${operation.method.toUpperCase()} ${operation.path}`;

function parametersOf(op: OpenAPIV3.OperationObject, where: 'path' | 'query' | 'header'): OpenAPIV3.ParameterObject[] {
  return ((op.parameters ?? []) as OpenAPIV3.ParameterObject[]).filter((p) => p.in === where);
}

function jsonBodySchema(op: OpenAPIV3.OperationObject): Schema | undefined {
  const body = op.requestBody as OpenAPIV3.RequestBodyObject | undefined;
  return body?.content['application/json']?.schema as Schema | undefined;
}

function authHeaders(operation: Operation, ctx: GeneratorContext, mode: 'correct' | 'wrong' | 'none'): Record<string, string> {
  const { rng } = ctx;
  const requirement = operation.op.security?.[0];
  const schemes = requirement ? Object.keys(requirement) : [];
  if (mode === 'none') return {};
  if (mode === 'correct') {
    const out: Record<string, string> = {};
    for (const scheme of schemes) {
      const credential = ctx.credentials[scheme];
      if (credential) out[credential.header] = credential.value;
    }
    return out;
  }
  const bare = (value: string) => value.replace(/^Bearer /, '');
  // Every secret that opens this operation (any of its alternatives): a "wrong" credential is none of them.
  const own = new Set((operation.op.security ?? []).flatMap((r) => Object.keys(r)).map((s) => bare(ctx.credentials[s]?.value ?? '')));
  const ownCredential = schemes[0] ? ctx.credentials[schemes[0]] : undefined;
  const header = ownCredential?.header ?? rng.pick(['authorization', 'access_token', 'x-exchange-key']);
  const secret = ownCredential ? bare(ownCredential.value) : 'nothing';
  const otherSecrets = Object.values(ctx.credentials)
    .map((c) => bare(c.value))
    .filter((v) => !own.has(v));
  const wrong = rng.pick([
    `${secret}x`,
    secret.slice(0, -1),
    secret.toUpperCase(),
    ...otherSecrets.slice(0, 1),
    'A'.repeat(10_000),
    '',
    ' ',
    'null',
    "' OR '1'='1",
  ]);
  if (header !== 'authorization') return { [header]: wrong };
  // Other spellings of the right key may rightly be accepted: never for operations that must not run.
  const spellings = ctx.noCorrectAuth.has(operationName(operation)) ? [] : [`bearer ${secret}`, `Bearer  ${secret}`];
  return { [header]: rng.pick([`Bearer ${wrong}`, `Basic ${wrong}`, 'Bearer', wrong, ...spellings]) };
}

/** encodeURIComponent, except that a lone surrogate goes out as its (invalid) WTF-8 bytes instead of throwing. */
function encodeSegment(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return Array.from(text, (ch) => (/[\ud800-\udfff]/.test(ch) ? '%ED%A0%80' : encodeURIComponent(ch))).join('');
  }
}

function pathOf(operation: Operation, values: Record<string, string>): string {
  return operation.path.replace(/\{([^}]+)\}/g, (_m, name: string) => values[name] ?? '');
}

/** Builds one request for an operation: valid, or broken in one way of the chosen kind. */
export function generateRequest(operation: Operation, ctx: GeneratorContext, forcedKind?: RequestKind): FuzzRequest {
  const { rng } = ctx;
  const name = operationName(operation);
  const pool = ctx.pool(operation.service);
  const custom = ctx.customBodies[name];
  let kind: RequestKind = forcedKind ?? rng.weighted(KIND_WEIGHTS);
  if (kind === 'wrong-method' && operation.otherMethods.length === 0) kind = 'bad-path';
  const details: string[] = [];

  // Parameters and body, valid first; then at most one part is broken.
  const pathParams = parametersOf(operation.op, 'path');
  const queryParams = parametersOf(operation.op, 'query');
  const pathValues = new Map<string, { value: Value }>(
    pathParams.map((p) => [p.name, { value: validValue(p.schema as Schema, rng, pool, p.name) }]),
  );
  const queryValues = new Map<string, { value: Value }>();
  for (const p of queryParams) {
    if (p.required || rng.chance(0.6)) queryValues.set(p.name, { value: validValue(p.schema as Schema, rng, pool, p.name) });
  }
  const bodySchema = jsonBodySchema(operation.op);
  const body = bodySchema ? { value: validValue(bodySchema, rng, pool) } : undefined;
  let payload: string | undefined = body ? toJson(body.value) : undefined;
  let contentType: string | undefined = body ? 'application/json' : undefined;
  if (custom) {
    const generated = custom(rng);
    payload = generated.payload;
    contentType = generated.contentType;
    details.push(generated.detail);
  }

  const valueKinds: readonly RequestKind[] = [
    'wrong-type',
    'null',
    'missing',
    'extra',
    'huge-string',
    'huge-number',
    'unicode',
    'negative-zero',
    'boundary',
  ];
  if (valueKinds.includes(kind)) {
    const targets: { label: string; weight: number }[] = [];
    if (body && bodySchema) targets.push({ label: 'body', weight: 3 });
    if (pathParams.length > 0) targets.push({ label: 'path', weight: 1.5 });
    if (queryParams.length > 0) targets.push({ label: 'query', weight: 1.5 });
    const weights = Object.fromEntries(targets.map((t) => [t.label, t.weight]));
    const target = targets.length > 0 ? rng.weighted(weights) : undefined;
    const mutation = kind as ValueMutation;
    if (target === 'body' && body && bodySchema) {
      details.push(`body: ${mutate(body, bodySchema, mutation, rng) ?? 'no slot'}`);
      payload = toJson(body.value);
    } else if (target === 'path' || target === 'query') {
      const params = target === 'path' ? pathParams : queryParams;
      const param = rng.pick(params);
      const values = target === 'path' ? pathValues : queryValues;
      const holder = values.get(param.name) ?? { value: validValue(param.schema as Schema, rng, pool, param.name) };
      values.set(param.name, holder);
      if (mutation === 'missing') values.delete(param.name);
      else mutate(holder, param.schema as Schema, mutation, rng, param.name);
      details.push(`${target} ${param.name}: ${mutation}`);
    } else if (custom) {
      // No documented parameter to break: break the uploaded body instead.
      payload = rng.chance(0.5) ? hugeString(rng) : rng.pick(UNICODE_SAMPLES);
      details.push(`custom body replaced (${mutation})`);
    } else {
      details.push(`no part to mutate (${mutation}); sent valid`);
    }
  }

  let method: string = operation.method.toUpperCase();
  const segments = new Map<string, string>();
  for (const [key, holder] of pathValues) segments.set(key, encodeSegment(toText(holder.value)));
  switch (kind) {
    case 'malformed-json':
      payload = rng.pick(MALFORMED_JSON);
      contentType = rng.pick(['application/json', 'application/json; charset=utf-8', 'application/vnd.api+json']);
      details.push('malformed JSON body');
      break;
    case 'content-type':
      contentType = rng.pick([
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=zzz',
        'application/xml',
        'application/json; charset=utf-16',
        'application/octet-stream',
        'text/csv',
        '',
        '*/*',
        'application/json, text/plain',
      ]);
      payload ??= rng.pick(['{}', 'a=1&b=2', '<x/>']);
      details.push(`content-type ${JSON.stringify(contentType)}`);
      break;
    case 'prototype':
      payload = rng.pick(PROTOTYPE_BODIES);
      contentType = 'application/json';
      details.push('prototype-pollution body');
      break;
    case 'wrong-method':
      method = rng.pick(operation.otherMethods).toUpperCase();
      details.push(`wrong method ${method}`);
      break;
    case 'bad-path':
      if (pathParams.length > 0) {
        const param = rng.pick(pathParams);
        segments.set(param.name, rng.pick(BAD_SEGMENTS));
        details.push(`bad path segment for ${param.name}`);
      } else {
        details.push('bad path suffix');
      }
      break;
    default:
      break;
  }
  let url = pathOf(operation, Object.fromEntries(segments));
  if (kind === 'bad-path' && pathParams.length === 0) {
    url += rng.pick(['/', '//', '/..', '/%00', '/%', '/x'.repeat(50), `/${'y'.repeat(3000)}`, '%20', '?=&&==', '/ü']);
  }

  const query = new URLSearchParams();
  for (const [key, holder] of queryValues) {
    const value = holder.value;
    if (Array.isArray(value)) for (const v of value) query.append(key, toText(v));
    else query.append(key, toText(value));
  }
  if (rng.chance(0.05)) query.append(rng.pick(['unknown', 'page', 'limit', '__proto__', 'q']), rng.pick(['1', '', 'x', '-1', '😀']));
  const qs = query.toString();
  if (qs) url += `?${qs}`;

  // Credentials: mostly correct so that validation deeper than auth is reached.
  const secured = (operation.op.security?.length ?? 0) > 0;
  let authMode: 'correct' | 'wrong' | 'none' = kind === 'wrong-auth' ? 'wrong' : rng.chance(0.85) ? 'correct' : 'none';
  if (!secured && kind !== 'wrong-auth') authMode = 'none';
  if (authMode === 'correct' && ctx.noCorrectAuth.has(name)) authMode = 'wrong';
  const headers: Record<string, string> = { ...authHeaders(operation, ctx, authMode) };
  if (authMode !== 'correct' || !secured) details.push(`auth ${authMode}`);
  if (payload !== undefined && method !== 'GET' && method !== 'HEAD') {
    if (contentType) headers['content-type'] = contentType;
  } else if (payload !== undefined && rng.chance(0.8)) {
    payload = undefined;
  } else if (payload !== undefined && contentType) {
    headers['content-type'] = contentType;
  }
  if (rng.chance(0.03)) headers['x-request-id'] = rng.pick(['abc', '../../x', 'a'.repeat(500), '<script>']);
  return {
    operation: name,
    kind,
    detail: details.join('; '),
    method,
    url,
    headers,
    ...(payload !== undefined ? { payload } : {}),
    remoteAddress: rng.pick(REMOTE_ADDRESSES),
  };
}
