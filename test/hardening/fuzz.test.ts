import type { OpenAPIV3 } from 'openapi-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { services } from '../../src/services.js';
import { buildTestApp, type TestApp } from '../harness.js';
import { installWriteAudit, type Write, type WriteAudit } from './fuzz/audit.js';
import { csvUpload } from './fuzz/csv.js';
import { createPools, inputNames } from './fuzz/pools.js';
import { clip, describeRequest, errorShapeProblem } from './fuzz/report.js';
import { type Credentials, type GeneratorContext, generateRequest, type Operation, operationName, operationsOf } from './fuzz/requests.js';
import { createRng } from './fuzz/rng.js';

/**
 * Fuzzes every operation of the OpenAPI document through app.inject: wrong types, missing and extra
 * fields, huge strings and numbers, unicode, negative and zero values, malformed JSON, wrong content
 * types and methods, bad credentials. Reproducible: FUZZ_SEED and FUZZ_PER_OP pick the run.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed_2024);
const PER_OPERATION = Number(process.env.FUZZ_PER_OP ?? 40);

/** Which configured secret opens each security scheme of the document. */
function credentialsOf(doc: OpenAPIV3.Document, t: TestApp): Credentials {
  const config = t.platform.config;
  const secretOf: Record<string, string> = {
    shopAccessToken: config.SHOP_API_KEY,
    exchangeOperator: config.EXCHANGE_ADMIN_KEY,
    exchangeBearer: config.EXCHANGE_ADMIN_KEY,
    hackathonAdmin: config.HACKATHON_ADMIN_TOKEN,
    arenaBearer: config.ARENA_API_KEY,
  };
  const out: Credentials = {};
  for (const [name, scheme] of Object.entries(doc.components?.securitySchemes ?? {}) as [string, OpenAPIV3.SecuritySchemeObject][]) {
    const secret = secretOf[name];
    if (secret === undefined) throw new Error(`The fuzzer has no credential for security scheme ${name}; add it to credentialsOf.`);
    if (scheme.type === 'apiKey' && scheme.in === 'header') out[name] = { header: scheme.name.toLowerCase(), value: secret };
    else if (scheme.type === 'http' && scheme.scheme === 'bearer') out[name] = { header: 'authorization', value: `Bearer ${secret}` };
    else throw new Error(`Security scheme ${name} is of a kind the fuzzer does not send.`);
  }
  return out;
}

function shuffle<T>(items: T[], rng: ReturnType<typeof createRng>): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

let t: TestApp;
let doc: OpenAPIV3.Document;
let audit: WriteAudit;

beforeAll(async () => {
  // Redis off: every piece of stored state is then in the database, where the write audit sees it.
  // Load shedding and request timeouts off: a busy test machine is not bad input (limits have their own tests).
  t = await buildTestApp(services, { redis: false, env: { LOAD_SHED_EVENT_LOOP_DELAY_MS: '0', REQUEST_TIMEOUT_MS: '600000' } });
  for (const service of services) await service.seedDemo?.(t.platform);
  const res = await t.app.inject({ method: 'GET', url: '/docs/json' });
  expect(res.statusCode).toBe(200);
  doc = res.json();
  audit = await installWriteAudit(t.platform.db);
});

afterAll(async () => {
  await t?.close();
});

describe('fuzzing every route of the OpenAPI document', () => {
  it('covers every service, and the write audit sees a committed write', async () => {
    const operations = operationsOf(doc);
    for (const service of services) expect(operations.some((o) => o.service === service.prefix.slice(1))).toBe(true);
    expect(audit.tables.length).toBeGreaterThan(20);
    await audit.drain();
    const created = await t.app.inject({
      method: 'POST',
      url: '/pokemon/trainers',
      payload: { id: 'audit-probe', firstName: 'Audit', lastName: 'Probe', dateOfBirth: '1990-01-01' },
    });
    expect(created.statusCode).toBe(201);
    expect(await audit.drain()).toContainEqual({ table: 'pokemon.trainers', op: 'INSERT' });
    // Refused by the database itself (duplicate id): the failed statement leaves nothing behind.
    const refused = await t.app.inject({
      method: 'POST',
      url: '/pokemon/trainers',
      payload: { id: 'audit-probe', firstName: 'Again', lastName: 'Probe', dateOfBirth: '1990-01-01' },
    });
    expect(refused.statusCode).toBe(409);
    expect(await audit.drain()).toEqual([]);
  });

  it('refuses the inputs earlier fuzz runs answered with a 500 or the wrong shape, writing nothing', async () => {
    const { config } = t.platform;
    const multipart = (part: string) => ({
      'content-type': 'multipart/form-data; boundary=zz',
      payload: `--zz\r\nContent-Disposition: form-data; name="file"${part}\r\nContent-Type: text/csv\r\n\r\nid,firstName,lastName,dateOfBirth\r\nfz1,A,B,01-01-1990\r\n`,
    });
    const cases: {
      method: 'GET' | 'POST' | 'PATCH';
      url: string;
      headers?: Record<string, string>;
      payload?: string | object;
      status: number;
    }[] = [
      // Fastify's router refusals bypassed the error handler (414 said "Bad Request" and echoed the path).
      { method: 'GET', url: `/pokemon/trainers/${'x'.repeat(600)}`, status: 414 },
      { method: 'GET', url: '/pokemon/trainers/%zz', status: 400 },
      // Ajv coerces "Infinity"/"1e400" to ±Infinity and skips minimum/maximum for it.
      { method: 'GET', url: '/pokemon/trainers?limit=-1e400', status: 400 },
      { method: 'GET', url: '/pokemon/pokemon?minLevel=Infinity', status: 400 },
      { method: 'GET', url: '/arena/players/Infinity', headers: { authorization: `Bearer ${config.ARENA_API_KEY}` }, status: 400 },
      {
        method: 'POST',
        url: '/arena/battles',
        headers: { authorization: `Bearer ${config.ARENA_API_KEY}` },
        payload: { attacker_id: 1, defender_id: 'Infinity' },
        status: 400,
      },
      // Integers without a maximum overflowed PostgreSQL's bigint.
      { method: 'GET', url: '/pokemon/trainers?page=9223372036854775807', status: 400 },
      { method: 'GET', url: '/exchange/shops/1/history?before=9223372036854775807', status: 400 },
      { method: 'GET', url: '/hackathon/scans?min_frequency=9223372036854775807', status: 400 },
      // A lone surrogate was stored as U+FFFD, and the hackathon's skill lookup then broke a foreign key.
      {
        method: 'POST',
        url: '/hackathon/register',
        headers: { 'content-type': 'application/json' },
        payload: '{"name":"Lone","company":"C","email":"lone@x.test","phone":"1","skills":[{"skill":"x\\ud800","rating":3}]}',
        status: 400,
      },
      // Only unknown fields satisfied minProperties and reached an empty SQL SET.
      { method: 'PATCH', url: '/pokemon/trainers/trainer0', payload: { isAdmin: [1] }, status: 400 },
      // PostgreSQL text cannot hold NUL.
      { method: 'GET', url: '/pokemon/trainers/a%00b/trades', status: 400 },
      {
        method: 'POST',
        url: '/shop/info/current_time',
        headers: { access_token: config.SHOP_API_KEY },
        payload: { day: 'Blesday\u0000', hour: 2 },
        status: 400,
      },
      // A cut-off multipart form (busboy's plain Error).
      { method: 'POST', url: '/pokemon/imports?type=trainers&mode=insert', ...split(multipart('; filename="t.csv"')), status: 400 },
      { method: 'POST', url: '/pokemon/imports?type=trainers&mode=insert', ...split(multipart('')), status: 400 },
    ];
    function split({ payload, ...headers }: { payload: string; 'content-type': string }) {
      return { headers, payload };
    }
    await audit.drain();
    for (const c of cases) {
      const res = await t.app.inject({
        method: c.method,
        url: c.url,
        headers: c.headers ?? {},
        ...(c.payload !== undefined ? { payload: c.payload } : {}),
      });
      const where = `${c.method} ${c.url.slice(0, 80)} → ${res.statusCode} ${res.body.slice(0, 200)}`;
      expect(res.statusCode, where).toBe(c.status);
      expect(errorShapeProblem(res.statusCode, res.headers['content-type'] as string | undefined, res.body), where).toBeUndefined();
      expect(await audit.drain(), where).toEqual([]);
    }
  });

  it('answers thousands of generated requests with no 5xx, every error in the one shape, and no writes for refused ones', async () => {
    const rng = createRng(SEED);
    const operations = operationsOf(doc);
    const pools = createPools(inputNames(doc));
    const ctx: GeneratorContext = {
      rng,
      pool: pools.lookup,
      credentials: credentialsOf(doc, t),
      // Ticks and resets call registered shops over HTTP (a dead shop is rightly a 502): fuzzed shop URLs
      // must never be called, so these two only ever meet a wrong or missing key.
      noCorrectAuth: new Set(['POST /exchange/clock/advance', 'POST /exchange/shops/{id}/reset']),
      customBodies: { 'POST /pokemon/imports': csvUpload },
    };

    // Learn real ids first, so that generated requests reach past "not found".
    const warmUp = operations.filter((o) => o.method === 'get');
    for (const operation of warmUp) {
      const request = generateRequest(operation, ctx, 'valid');
      const res = await t.app.inject({
        method: request.method,
        url: request.url,
        headers: request.headers,
        remoteAddress: request.remoteAddress,
      });
      expect(res.statusCode, `warm-up ${request.method} ${request.url}: ${res.body.slice(0, 300)}`).toBeLessThan(500);
      if (res.statusCode < 300 && /json/.test(String(res.headers['content-type']))) pools.harvest(operation.service, res.json());
    }
    await audit.drain();

    const plan: Operation[] = shuffle(
      operations.flatMap((o) => Array.from({ length: PER_OPERATION }, () => o)),
      rng,
    );
    const failures: string[] = [];
    const failureKeys = new Set<string>();
    const statuses = new Map<number, number>();
    const kinds = new Map<string, number>();
    const readsThatWrote = new Set<string>();
    const acceptedByOperation = new Map<string, number>(operations.map((o) => [operationName(o), 0]));
    let acceptedWrites = 0;
    let sent = 0;
    let refused = 0;
    const fail = (key: string, text: string) => {
      // One example per (operation, kind of failure) keeps the report readable.
      if (failureKeys.has(key)) return;
      failureKeys.add(key);
      failures.push(text);
    };
    const started = Date.now();
    for (const operation of plan) {
      const request = generateRequest(operation, ctx);
      const index = sent++;
      kinds.set(request.kind, (kinds.get(request.kind) ?? 0) + 1);
      let res: Awaited<ReturnType<TestApp['app']['inject']>>;
      try {
        res = await t.app.inject({
          method: request.method as 'GET',
          url: request.url,
          headers: request.headers,
          remoteAddress: request.remoteAddress,
          ...(request.payload !== undefined ? { payload: request.payload } : {}),
        });
      } catch (err) {
        fail(`${request.operation} threw`, `${describeRequest(index, request)}\n  → inject threw: ${String(err)}`);
        continue;
      }
      const writes: Write[] = await audit.drain();
      const status = res.statusCode;
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      const answer = `  → ${status} ${clip(res.body, 400)}`;
      if (status >= 500) fail(`${request.operation} 5xx ${status}`, `${describeRequest(index, request)}\n${answer}`);
      if (status >= 400 && request.method !== 'HEAD') {
        const problem = errorShapeProblem(status, res.headers['content-type'] as string | undefined, res.body);
        if (problem) fail(`${request.operation} shape ${problem}`, `${describeRequest(index, request)}\n${answer}\n  → shape: ${problem}`);
      }
      if (status >= 400) {
        refused++;
        if (writes.length > 0) {
          const tables = [...new Set(writes.map((w) => `${w.op} ${w.table}`))].join(', ');
          fail(`${request.operation} wrote ${status}`, `${describeRequest(index, request)}\n${answer}\n  → refused yet wrote: ${tables}`);
        }
      } else {
        if (request.method === operation.method.toUpperCase()) {
          acceptedByOperation.set(request.operation, (acceptedByOperation.get(request.operation) ?? 0) + 1);
        }
        if (writes.length > 0) acceptedWrites++;
        if (request.method === 'GET' && writes.length > 0)
          readsThatWrote.add(`${request.operation}: ${writes.map((w) => w.table).join(', ')}`);
        if (/json/.test(String(res.headers['content-type'])) && res.body.length < 1_000_000) pools.harvest(operation.service, res.json());
      }
    }
    const seconds = (Date.now() - started) / 1000;

    const byCount = (m: Map<string | number, number>) =>
      [...m]
        .sort((a, b) => b[1] - a[1])
        .map(([k, n]) => `${k}:${n}`)
        .join(' ');
    console.log(
      [
        `fuzz: FUZZ_SEED=${SEED} FUZZ_PER_OP=${PER_OPERATION}: ${sent} requests over ${operations.length} operations in ${seconds.toFixed(1)} s, ${refused} refused`,
        `  statuses ${byCount(statuses)}`,
        `  kinds    ${byCount(kinds)}`,
        `  ${acceptedWrites} accepted requests wrote data; never accepted: ${
          [...acceptedByOperation]
            .filter(([, n]) => n === 0)
            .map(([name]) => name)
            .join(', ') || 'none'
        }`,
        ...(readsThatWrote.size > 0 ? [`  note: successful GETs that wrote: ${[...readsThatWrote].join('; ')}`] : []),
      ].join('\n'),
    );
    expect(sent).toBeGreaterThanOrEqual(1000);
    expect(
      failures,
      `FUZZ_SEED=${SEED} FUZZ_PER_OP=${PER_OPERATION}: ${failures.length} distinct failures\n${failures.join('\n\n')}`,
    ).toEqual([]);
  }, 900_000);
});
