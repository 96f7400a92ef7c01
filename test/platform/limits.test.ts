import { Agent, get as httpGet } from 'node:http';
import { connect } from 'node:net';
import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, RATE_LIMITED_ROUTES } from '../../src/app.js';
import { loadConfig } from '../../src/platform/config.js';
import { createEventLoopMonitor, type RateLimitedRoute } from '../../src/platform/limits.js';
import type { App, ServiceModule } from '../../src/platform/service.js';
import { hackathonService } from '../../src/services/hackathon/index.js';
import { pokemonService } from '../../src/services/pokemon/index.js';
import { services } from '../../src/services.js';
import { buildTestApp, createTestPlatform, hasRedis, type TestApp, type TestPlatform } from '../harness.js';

const ERROR_KEYS = ['code', 'error', 'message', 'statusCode'];

function expectErrorShape(res: { statusCode: number; json(): Record<string, unknown> }, status: number, code: string) {
  expect(res.statusCode).toBe(status);
  const body = res.json();
  expect(Object.keys(body).sort()).toEqual(ERROR_KEYS);
  expect(body.statusCode).toBe(status);
  expect(body.code).toBe(code);
  return body;
}

/** Gates a handler until the test releases it. */
function gate() {
  let release: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { opened, release };
}

const slow = gate();
const stall = gate();

const probe: ServiceModule = {
  name: 'probe',
  prefix: '/probe',
  description: 'Test-only service.',
  async register(app) {
    app.post('/echo', { schema: { body: Type.Object({ text: Type.String() }) } }, async (request) => request.body);
    app.post('/signup', async () => ({ ok: true }));
    app.get('/slow', async () => {
      await slow.opened;
      return { late: true };
    });
    app.get('/stall', async () => {
      await stall.opened;
      return { late: true };
    });
    app.get('/budget', async (request) => ({ ms: request.routeOptions.config.requestTimeoutMs }));
    app.addContentTypeParser('text/csv', (_request, payload, done) => done(null, payload));
    app.post('/upload', { schema: { consumes: ['text/csv'] } }, async (request) => ({ ms: request.routeOptions.config.requestTimeoutMs }));
    app.get('/fast', async () => ({ ok: true }));
  },
};
const probeLimits: RateLimitedRoute[] = [{ method: 'POST', url: '/probe/signup', kind: 'registrations' }];

describe('body size limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp([probe], { env: { BODY_LIMIT_BYTES: '2048' } });
  });
  afterAll(async () => t.close());

  it('accepts a body within BODY_LIMIT_BYTES', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/probe/echo', payload: { text: 'x'.repeat(1000) } });
    expect(res.statusCode).toBe(200);
  });

  it('answers a body over BODY_LIMIT_BYTES with 413 in the one error shape', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/probe/echo', payload: { text: 'x'.repeat(4000) } });
    const body = expectErrorShape(res, 413, 'FST_ERR_CTP_BODY_TOO_LARGE');
    expect(body.message).toMatch(/larger than this server accepts/);
  });
});

describe('per-client rate limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp([hackathonService, pokemonService], {
      env: { RATE_LIMIT_REGISTRATIONS: '2', RATE_LIMIT_TOKEN_EXCHANGES: '2', HACKATHON_EXCHANGE_COOLDOWN_SECONDS: '0' },
    });
  });
  afterAll(async () => t.close());

  let n = 0;
  const person = () => {
    n++;
    return { name: `Limit ${n}`, company: 'Acme', email: `limit${n}-${Date.now()}@example.com`, phone: '+1-555-0100', skills: [] };
  };
  const register = (remoteAddress: string) =>
    t.app.inject({ method: 'POST', url: '/hackathon/register', payload: person(), remoteAddress });

  // Builds every service: slow on a busy machine, hence the longer budget.
  it('names only routes that exist in the services', async () => {
    const app = await buildApp(t.platform, services);
    try {
      await app.ready();
      for (const route of RATE_LIMITED_ROUTES) expect(app.hasRoute({ method: route.method, url: route.url }), route.url).toBe(true);
    } finally {
      await app.close();
    }
  }, 180_000);

  it('refuses a client’s registrations over the limit with 429 and Retry-After, other clients unaffected', async () => {
    expect((await register('10.1.0.1')).statusCode).toBe(201);
    const second = await register('10.1.0.1');
    expect(second.statusCode).toBe(201);
    expect(second.headers['x-ratelimit-remaining']).toBe('0');
    const third = await register('10.1.0.1');
    const body = expectErrorShape(third, 429, 'RATE_LIMITED');
    expect(body.message).toMatch(/Too many registrations from this client: at most 2 per 60 s/);
    expect(Number(third.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(third.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect((await register('10.1.0.2')).statusCode).toBe(201);
  });

  it('counts an IPv6 client by its /64', async () => {
    expect((await register('2001:db8:1:2::1')).statusCode).toBe(201);
    expect((await register('2001:db8:1:2::ffff')).statusCode).toBe(201);
    expect((await register('2001:db8:1:2:aaaa::7')).statusCode).toBe(429);
    expect((await register('2001:db8:1:3::1')).statusCode).toBe(201);
  });

  it('limits trainer registrations on their own counter', async () => {
    const trainer = (id: string) =>
      t.app.inject({
        method: 'POST',
        url: '/pokemon/trainers',
        payload: { id, firstName: 'Ash', lastName: 'K', dateOfBirth: '1987-05-22' },
        remoteAddress: '10.1.0.1',
      });
    expect((await trainer('limit-a')).statusCode).toBe(201);
    expect((await trainer('limit-b')).statusCode).toBe(201);
    expectErrorShape(await trainer('limit-c'), 429, 'RATE_LIMITED');
  });

  it('limits token exchanges per client', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await register(`10.2.0.${i}`);
      ids.push(Number(Object.keys(res.json())[0]));
    }
    const exchange = () =>
      t.app.inject({
        method: 'PUT',
        url: '/hackathon/bbt_token_exchange',
        payload: { participant_1_id: ids[0], participant_2_id: ids[1] },
        remoteAddress: '10.3.0.1',
      });
    expect((await exchange()).statusCode).toBe(200);
    expect((await exchange()).statusCode).toBe(200);
    const refused = await exchange();
    const body = expectErrorShape(refused, 429, 'RATE_LIMITED');
    expect(body.message).toMatch(/token exchanges/);
    expect(refused.headers['retry-after']).toBeDefined();
  });

  it('leaves unlisted routes alone', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await t.app.inject({ method: 'GET', url: '/hackathon/users', remoteAddress: '10.1.0.1' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-ratelimit-limit']).toBeUndefined();
    }
  });
});

describe('rate limit configuration', () => {
  it('0 turns a limit off', async () => {
    const platform = await createTestPlatform();
    try {
      const off = { ...platform, config: { ...platform.config, RATE_LIMIT_REGISTRATIONS: 0 } };
      const app = await buildApp(off, [probe], { rateLimitedRoutes: probeLimits });
      for (let i = 0; i < 5; i++) expect((await app.inject({ method: 'POST', url: '/probe/signup' })).statusCode).toBe(200);
      await app.close();
    } finally {
      await platform.close();
    }
  }, 120_000);

  it('rejects a negative limit and a non-numeric threshold at start', () => {
    expect(() => loadConfig({ RATE_LIMIT_REGISTRATIONS: '-1' })).toThrow(/RATE_LIMIT_REGISTRATIONS/);
    expect(() => loadConfig({ LOAD_SHED_EVENT_LOOP_DELAY_MS: 'soon' })).toThrow(/LOAD_SHED_EVENT_LOOP_DELAY_MS/);
    expect(() => loadConfig({ CLIENT_TIMEOUT_MS: '10' })).toThrow(/CLIENT_TIMEOUT_MS/);
  });

  it.runIf(hasRedis)('shares the counts of every process through Redis', async () => {
    const platform = await createTestPlatform({ env: { RATE_LIMIT_REGISTRATIONS: '2' } });
    const apps: App[] = [];
    try {
      // Two app instances over one Redis stand for two replicas behind a load balancer.
      for (let i = 0; i < 2; i++) apps.push(await buildApp(platform, [probe], { rateLimitedRoutes: probeLimits }));
      const [a, b] = apps as [App, App];
      expect((await a.inject({ method: 'POST', url: '/probe/signup', remoteAddress: '10.9.0.1' })).statusCode).toBe(200);
      expect((await b.inject({ method: 'POST', url: '/probe/signup', remoteAddress: '10.9.0.1' })).statusCode).toBe(200);
      expect((await a.inject({ method: 'POST', url: '/probe/signup', remoteAddress: '10.9.0.1' })).statusCode).toBe(429);
      expect((await b.inject({ method: 'POST', url: '/probe/signup', remoteAddress: '10.9.0.1' })).statusCode).toBe(429);
    } finally {
      for (const app of apps) await app.close();
      await platform.close();
    }
  });
});

/** Sends raw bytes to a listening server and collects what it answers until it closes the socket. */
function rawExchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (d) => {
      answer += d.toString();
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(answer));
  });
}

function parseRaw(answer: string): { status: number; headers: Record<string, string>; body: Record<string, unknown> } {
  const [head = '', body = ''] = answer.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers = Object.fromEntries(
    lines.map((l) => {
      const i = l.indexOf(':');
      return [l.slice(0, i).trim().toLowerCase(), l.slice(i + 1).trim()];
    }),
  );
  return { status: Number(statusLine.split(' ')[1]), headers, body: JSON.parse(body) };
}

describe('request timeouts', () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await buildTestApp([probe], { env: { REQUEST_TIMEOUT_MS: '1000', UPLOAD_TIMEOUT_MS: '90000', CLIENT_TIMEOUT_MS: '1000' } });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    port = typeof address === 'object' && address ? address.port : 0;
  });
  afterAll(async () => {
    slow.release();
    stall.release();
    await t.close();
  });

  it('answers a handler that overruns REQUEST_TIMEOUT_MS with 503, Retry-After and a closed connection', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/probe/slow' });
    const body = expectErrorShape(res, 503, 'REQUEST_TIMEOUT');
    expect(body.message).toMatch(/within 1000 ms/);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.headers.connection).toBe('close');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    // The handler finishing later is dropped quietly; the server keeps answering.
    slow.release();
    await new Promise((r) => setTimeout(r, 20));
    expect((await t.app.inject({ method: 'GET', url: '/probe/fast' })).statusCode).toBe(200);
  });

  it('re-arms the deadline for every request on a kept-alive connection', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const get = (path: string) =>
      new Promise<{ status: number; port: number | undefined }>((resolve, reject) => {
        const req = httpGet({ host: '127.0.0.1', port, path, agent }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, port: req.socket?.localPort }));
        });
        req.on('error', reject);
      });
    try {
      const first = await get('/probe/fast');
      expect(first.status).toBe(200);
      // Idle for longer than the budget: the connection's timer fires and finds nothing to answer.
      await new Promise((r) => setTimeout(r, 1_300));
      const second = await get('/probe/fast');
      expect(second).toEqual({ status: 200, port: first.port });
      expect((await get('/probe/stall')).status).toBe(503);
    } finally {
      agent.destroy();
    }
  });

  it('gives streamed uploads UPLOAD_TIMEOUT_MS and other routes REQUEST_TIMEOUT_MS', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/probe/budget' })).json()).toEqual({ ms: 1000 });
    const upload = await t.app.inject({ method: 'POST', url: '/probe/upload', headers: { 'content-type': 'text/csv' }, payload: 'a,b\n' });
    expect(upload.json()).toEqual({ ms: 90000 });
  });

  it('answers 408 when the body does not arrive in time', async () => {
    const answer = await rawExchange(
      port,
      'POST /probe/echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"text":',
    );
    const res = parseRaw(answer);
    expect(res.status).toBe(408);
    expect(res.body).toMatchObject({ statusCode: 408, code: 'REQUEST_TIMEOUT' });
    expect(Object.keys(res.body).sort()).toEqual(ERROR_KEYS);
  });

  it('answers 408 in the error shape, with the security headers, when the headers do not arrive within CLIENT_TIMEOUT_MS', async () => {
    const answer = await rawExchange(port, 'GET /probe/fast HTTP/1.1\r\nHost: localhost\r\nX-Slow: ');
    const res = parseRaw(answer);
    expect(res.status).toBe(408);
    expect(res.body).toEqual({ statusCode: 408, code: 'REQUEST_TIMEOUT', error: 'Request Timeout', message: expect.any(String) });
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
  });

  it('answers malformed HTTP with 400 in the error shape', async () => {
    const res = parseRaw(await rawExchange(port, 'NOT HTTP AT ALL\r\n\r\n'));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'BAD_REQUEST' });
  });
});

describe('load shedding', () => {
  const monitor: { overloaded: boolean; close(): void } = { overloaded: false, close: () => undefined };
  let platform: TestPlatform;
  let app: App;
  beforeAll(async () => {
    platform = await createTestPlatform();
    app = await buildApp(platform, [probe], { loadMonitor: monitor });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await platform.close();
  });

  it('answers 503 with Retry-After while the event loop is saturated, but keeps /health alive', async () => {
    monitor.overloaded = true;
    const shed = await app.inject({ method: 'GET', url: '/probe/fast' });
    const body = expectErrorShape(shed, 503, 'OVERLOADED');
    expect(body.message).toMatch(/overloaded/);
    expect(shed.headers['retry-after']).toBe('1');
    expect(shed.headers['x-frame-options']).toBe('DENY');
    expectErrorShape(await app.inject({ method: 'GET', url: '/ready' }), 503, 'OVERLOADED');
    expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    monitor.overloaded = false;
    expect((await app.inject({ method: 'GET', url: '/probe/fast' })).statusCode).toBe(200);
  });

  it('sheds only after consecutive late samples and stops at the first on-time one', () => {
    const delays = [5000, 10, 5000, 5000, 5000, 10];
    const changes: boolean[] = [];
    const m = createEventLoopMonitor({
      maxDelayMs: 1000,
      sampleMs: 3_600_000,
      samples: 2,
      readDelayMs: () => delays.shift() ?? 0,
      onChange: (overloaded) => changes.push(overloaded),
    });
    const seen: boolean[] = [];
    for (let i = 0; i < 6; i++) {
      m.sample();
      seen.push(m.overloaded);
    }
    m.close();
    // One long task (a single late sample) is not saturation.
    expect(seen).toEqual([false, false, false, true, true, false]);
    expect(changes).toEqual([true, false]);
  });

  it('measures a blocked event loop as lag', async () => {
    const m = createEventLoopMonitor({ maxDelayMs: 100, sampleMs: 3_600_000, samples: 1 });
    try {
      // Let the histogram take its first readings, then start a fresh window.
      await new Promise((r) => setTimeout(r, 50));
      m.sample();
      const until = Date.now() + 500;
      while (Date.now() < until) {
        // busy: the event loop cannot run its timers
      }
      await new Promise((r) => setTimeout(r, 1));
      m.sample();
      expect(m.overloaded).toBe(true);
    } finally {
      m.close();
    }
  });
});
