import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errors } from '../../src/platform/errors.js';
import { errorResponses } from '../../src/platform/http.js';
import type { ServiceModule } from '../../src/platform/service.js';
import { buildTestApp, type TestApp } from '../harness.js';

const ERROR_KEYS = ['code', 'error', 'message', 'statusCode'];

/** A service that exercises every error path of the platform. */
const probe: ServiceModule = {
  name: 'probe',
  prefix: '/probe',
  description: 'Test-only service.',
  securitySchemes: { probeKey: { type: 'apiKey', in: 'header', name: 'x-probe-key' } },
  async register(app) {
    app.post(
      '/items',
      {
        schema: {
          body: Type.Object({ name: Type.String({ minLength: 1 }), count: Type.Integer({ minimum: 1 }) }),
          response: { 201: Type.Object({ name: Type.String(), count: Type.Integer() }), ...errorResponses(400) },
        },
      },
      async (request, reply) => reply.code(201).send(request.body),
    );
    app.get('/conflict', async () => {
      throw errors.conflict('The raffle was already drawn.');
    });
    app.get('/limited', async () => {
      throw errors.tooManyRequests('Slow down.', 2.2);
    });
    app.get('/boom', async () => {
      throw new Error('secret internal detail');
    });
    app.get('/db-down', async () => {
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    });
  },
};

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp([probe]);
});
afterAll(async () => {
  await t.close();
});

describe('platform HTTP', () => {
  it('serves the landing page listing every service with a link', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toContain('href="/probe/"');
    expect(res.body).toContain('Test-only service.');
  });

  it('answers /health and /ready', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/health' })).json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject({ method: 'GET', url: '/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready', database: 'up' });
    expect(ready.json().redis).toBe(t.platform.redis ? 'up' : 'not configured');
  });

  it('publishes an OpenAPI 3 document with the services’ security schemes and a Swagger UI', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.paths['/probe/items']).toBeDefined();
    expect(doc.components.securitySchemes.probeKey).toEqual({ type: 'apiKey', in: 'header', name: 'x-probe-key' });
    expect(doc.components.schemas.Error).toBeDefined();
    const ui = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(ui.statusCode).toBe(200);
    expect(ui.body).toContain('swagger-ui');
    expect(ui.body).not.toMatch(/src="https?:/);
  });

  it('tags each request with a request id, keeping a sane one the caller sent', async () => {
    const own = await t.app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'abc-123' } });
    expect(own.headers['x-request-id']).toBe('abc-123');
    const hostile = await t.app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'a\nb'.repeat(100) } });
    expect(hostile.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('ignores trailing slashes', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/health/' })).statusCode).toBe(200);
  });
});

describe('the one error shape', () => {
  async function expectError(res: { statusCode: number; json(): Record<string, unknown> }, status: number, code: string) {
    expect(res.statusCode).toBe(status);
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual(ERROR_KEYS);
    expect(body.statusCode).toBe(status);
    expect(body.code).toBe(code);
    expect(typeof body.message).toBe('string');
    return body;
  }

  it('renders an unknown route as a JSON 404', async () => {
    const body = await expectError(await t.app.inject({ method: 'GET', url: '/nowhere' }), 404, 'ROUTE_NOT_FOUND');
    expect(body.message).toContain('GET /nowhere');
  });

  it('renders a validation failure as 400 naming the field', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/probe/items', payload: { name: '', count: 0 } });
    const body = await expectError(res, 400, 'FST_ERR_VALIDATION');
    expect(body.message).toMatch(/body\/name|body\/count/);
  });

  it('renders malformed JSON as 400', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/probe/items',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": "x",',
    });
    await expectError(res, 400, 'FST_ERR_CTP_INVALID_JSON_BODY');
  });

  it('renders a wrong content type as 415', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/probe/items',
      headers: { 'content-type': 'application/xml' },
      payload: '<a/>',
    });
    await expectError(res, 415, 'FST_ERR_CTP_INVALID_MEDIA_TYPE');
  });

  it('renders an oversized body as 413', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/probe/items',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'x'.repeat(2_000_000), count: 1 }),
    });
    await expectError(res, 413, 'FST_ERR_CTP_BODY_TOO_LARGE');
  });

  it('renders an AppError with its status and code', async () => {
    const body = await expectError(await t.app.inject({ method: 'GET', url: '/probe/conflict' }), 409, 'CONFLICT');
    expect(body.message).toBe('The raffle was already drawn.');
  });

  it('sends Retry-After with a 429', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/probe/limited' });
    await expectError(res, 429, 'TOO_MANY_REQUESTS');
    expect(res.headers['retry-after']).toBe('3');
  });

  it('hides an unexpected error behind a generic 500 that names the request id', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/probe/boom', headers: { 'x-request-id': 'req-42' } });
    const body = await expectError(res, 500, 'INTERNAL_ERROR');
    expect(body.message).not.toContain('secret internal detail');
    expect(body.message).toContain('req-42');
  });

  it('turns a lost database connection into a 503 with Retry-After', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/probe/db-down' });
    await expectError(res, 503, 'DEPENDENCY_UNAVAILABLE');
    expect(res.headers['retry-after']).toBe('1');
  });
});
