import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errors } from '../../src/platform/errors.js';
import { redactUrl } from '../../src/platform/logger.js';
import { equalDigests, secretMatcher } from '../../src/platform/secrets.js';
import type { ServiceModule } from '../../src/platform/service.js';
import { exchangeService } from '../../src/services/exchange/index.js';
import { CHROMIUM, launchChromium } from '../browser.js';
import { buildTestApp, type TestApp } from '../harness.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const probe: ServiceModule = {
  name: 'probe',
  prefix: '/probe',
  description: 'Test-only service.',
  async register(app) {
    app.post('/items', { schema: { body: Type.Object({ n: Type.Integer() }) } }, async (request) => request.body);
    app.get('/limited', async () => {
      throw errors.tooManyRequests('Slow down.', 2);
    });
    app.get('/boom', async () => {
      throw new Error('boom');
    });
  },
};

describe('security headers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp([probe, exchangeService], { env: { EXCHANGE_TICK_SECONDS: '0', BODY_LIMIT_BYTES: '1024' } });
  });
  afterAll(async () => t.close());

  const responses: [string, () => Promise<{ statusCode: number; headers: Record<string, unknown> }>][] = [
    ['a JSON 200', () => t.app.inject({ method: 'GET', url: '/health' })],
    ['the landing page', () => t.app.inject({ method: 'GET', url: '/' })],
    ['a 404', () => t.app.inject({ method: 'GET', url: '/nowhere' })],
    ['a validation 400', () => t.app.inject({ method: 'POST', url: '/probe/items', payload: { n: 'x' } })],
    ['a 413', () => t.app.inject({ method: 'POST', url: '/probe/items', payload: { n: 1, pad: 'x'.repeat(4000) } })],
    ['a 429', () => t.app.inject({ method: 'GET', url: '/probe/limited' })],
    ['a 500', () => t.app.inject({ method: 'GET', url: '/probe/boom' })],
    ['a 401', () => t.app.inject({ method: 'POST', url: '/exchange/clock/advance', payload: { ticks: 1 } })],
    ['the Swagger UI page', () => t.app.inject({ method: 'GET', url: '/docs/' })],
    ['a Swagger UI script', () => t.app.inject({ method: 'GET', url: '/docs/static/swagger-ui-bundle.js' })],
    ['the OpenAPI document', () => t.app.inject({ method: 'GET', url: '/docs/json' })],
    ['the exchange dashboard', () => t.app.inject({ method: 'GET', url: '/exchange/' })],
    ['the dashboard’s chart script', () => t.app.inject({ method: 'GET', url: '/exchange/assets/chart.umd.js' })],
  ];

  it.each(responses)('are on %s', async (_name, send) => {
    const res = await send();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('lets Swagger UI load only same-origin scripts (no inline script to allow)', async () => {
    const html = (await t.app.inject({ method: 'GET', url: '/docs/' })).body;
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/src="\.?\/?[^":]*"/);
      expect(body?.trim()).toBe('');
    }
  });

  it('allows exactly the exchange dashboard’s inline scripts, by hash', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/exchange/' });
    const inline = [...res.body.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? '');
    expect(inline.length).toBeGreaterThan(0);
    const scriptSrc = String(res.headers['content-security-policy'])
      .split('; ')
      .find((d) => d.startsWith('script-src '));
    const allowed = scriptSrc?.split(' ').slice(1) ?? [];
    const hashes = inline.map((s) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`);
    expect(allowed.sort()).toEqual(["'self'", ...hashes].sort());
  });
});

describe.runIf(existsSync(CHROMIUM))('the CSP in headless Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let url: string;
  beforeAll(async () => {
    t = await buildTestApp([exchangeService], { env: { EXCHANGE_TICK_SECONDS: '0' } });
    url = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function visit(path: string, ready: string): Promise<string[]> {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('request', (r) => {
      if (!r.url().startsWith(url) && !r.url().startsWith('data:')) problems.push(`off-site request ${r.url()}`);
    });
    await page.goto(`${url}${path}`);
    await page.waitForSelector(ready, { timeout: 60_000 });
    await page.close();
    return problems;
  }

  it('renders Swagger UI at /docs with no CSP violation', async () => {
    expect(await visit('/docs/', '.swagger-ui .info .title')).toEqual([]);
  }, 120_000);

  it('runs the exchange dashboard with no CSP violation', async () => {
    expect(await visit('/exchange/', 'body[data-ready="true"]')).toEqual([]);
  }, 120_000);
});

describe('secret comparisons', () => {
  it('compare in constant time through src/platform/secrets.ts', () => {
    expect(secretMatcher('a-key-of-some-length')('a-key-of-some-length')).toBe(true);
    expect(secretMatcher('a-key-of-another-length')('a-key-of-some-length')).toBe(false);
    expect(secretMatcher('x')(undefined)).toBe(false);
    expect(equalDigests(Buffer.from('abcd'), Buffer.from('abcd'))).toBe(true);
    expect(equalDigests(Buffer.from('abcd'), Buffer.from('abce'))).toBe(false);
    expect(equalDigests(Buffer.from('abcd'), Buffer.from('abc'))).toBe(false);
  });

  it('go through secrets.ts everywhere: no other file uses timingSafeEqual or compares a credential with ===', () => {
    const files = sourceFiles(join(ROOT, 'src')).filter((f) => !f.endsWith('.test.ts') && !f.includes('/test/'));
    const offenders: string[] = [];
    // A credential-looking operand on either side of a (non-)strict equality, other than undefined/null checks.
    const credential =
      /\b(?:\w*(?:token|Token|apiKey|api_key|ApiKey|secret|Secret|password|operatorKey|adminKey|verification_code)\w*|headers\.(?:authorization|access_token|\w*key))\b/;
    for (const file of files) {
      const name = relative(ROOT, file);
      const lines = readFileSync(file, 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (/timingSafeEqual/.test(line) && name !== 'src/platform/secrets.ts') offenders.push(`${name}:${i + 1}: ${line.trim()}`);
        for (const m of line.matchAll(/(\S+)\s*[!=]==?\s*(\S+)/g)) {
          const [, left = '', right = ''] = m;
          if (/^(undefined|null|''|""|0|true|false)\W*$/.test(right) || /typeof|length|\.kind|\.type|\.status/.test(left + right)) continue;
          if (credential.test(left) || credential.test(right)) offenders.push(`${name}:${i + 1}: ${line.trim()}`);
        }
      });
    }
    expect(offenders).toEqual([]);
  });
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/**
 * A full run of the real server (every service, LOG_LEVEL=trace) through flows that send and receive
 * every kind of secret: operator keys, the shop's access token, player tokens, raffle codes — right and
 * wrong ones. Nothing of them may appear in anything the process writes.
 */
describe('secrets in logs', () => {
  it('redacts credential-like query parameters from logged URLs, and nothing else', () => {
    expect(redactUrl('/shop/catalog')).toBe('/shop/catalog');
    expect(redactUrl('/a?limit=5&api_key=s3cret&x=1')).toBe('/a?limit=5&api_key=[redacted]&x=1');
    expect(redactUrl('/a?access%5Ftoken=s3cret&Verification_Code=ABCD')).toBe('/a?access%5Ftoken=[redacted]&Verification_Code=[redacted]');
    expect(redactUrl('/a?%zz=1&token')).toBe('/a?%zz=1&token');
  });

  const SECRETS = {
    SHOP_API_KEY: 'shop-key-SECRET-3f9a1c7e5b2d',
    EXCHANGE_ADMIN_KEY: 'exchange-key-SECRET-8e1b4d6a9c0f',
    HACKATHON_ADMIN_TOKEN: 'hackathon-token-SECRET-2c7f5a1e9d3b',
    ARENA_API_KEY: 'arena-key-SECRET-6a0d3f8b2e7c',
  };
  const WRONG = ['wrong-key-SECRET-a1b2c3d4e5f6', 'wrong-token-SECRET-f6e5d4c3b2a1', 'foreign-shop-key-SECRET-0a9b8c7d6e'];
  let child: ChildProcess | undefined;
  let output = '';
  let dataDir = '';

  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('never writes a key, token or verification code, presented or issued', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'guildhall-secrets-'));
    child = spawn(process.execPath, [join(ROOT, 'bin/guildhall.mjs'), 'serve'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        PORT: '0',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'trace',
        SEED_DEMO_DATA: 'false',
        EXCHANGE_TICK_SECONDS: '1',
        TRUST_PROXY: '127.0.0.1',
        LOAD_SHED_EVENT_LOOP_DELAY_MS: '0',
        ...SECRETS,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.stderr?.on('data', (d: Buffer) => {
      output += d.toString();
    });
    const base = await waitFor(() => output.match(/"address":"(http:\/\/[^"]+)"[^\n]*guildhall is serving/)?.[1], 300_000);
    const issued: string[] = [];

    const call = async (method: string, path: string, options: { body?: unknown; headers?: Record<string, string> } = {}) => {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { ...(options.body === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers },
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      });
      const text = await res.text();
      return { status: res.status, json: () => JSON.parse(text) as Record<string, unknown> & Record<number, unknown> };
    };
    const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

    // shop: the access_token header, right and wrong
    expect((await call('POST', '/shop/carts', { headers: { access_token: SECRETS.SHOP_API_KEY }, body: cart() })).status).toBe(200);
    expect((await call('POST', '/shop/carts', { headers: { access_token: WRONG[0] as string }, body: cart() })).status).toBe(401);

    // exchange: operator key as bearer and as header, a wrong one, and a shop's api_key in a body
    expect(
      (await call('POST', '/exchange/clock/advance', { headers: bearer(SECRETS.EXCHANGE_ADMIN_KEY), body: { ticks: 2 } })).status,
    ).toBe(200);
    expect(
      (await call('POST', '/exchange/clock/advance', { headers: { 'x-exchange-key': WRONG[1] as string }, body: { ticks: 1 } })).status,
    ).toBe(401);
    const foreign = { name: 'foreign', base_url: `${base}/shop`, api_key: WRONG[2] };
    expect((await call('POST', '/exchange/shops', { headers: bearer(SECRETS.EXCHANGE_ADMIN_KEY), body: foreign })).status).toBe(201);
    expect(
      (await call('POST', '/exchange/shops', { headers: bearer(SECRETS.EXCHANGE_ADMIN_KEY), body: { ...foreign, base_url: '' } })).status,
    ).toBe(400);
    // Ticks now call the foreign shop with its (wrong) key and get 401s, which the exchange records.
    expect(
      (await call('POST', '/exchange/clock/advance', { headers: bearer(SECRETS.EXCHANGE_ADMIN_KEY), body: { ticks: 2 } })).status,
    ).toBe(200);

    // hackathon: admin token, right and wrong
    const participant = await call('POST', '/hackathon/register', {
      body: { name: 'Ada', company: 'Acme', email: `ada-${Date.now()}@example.com`, phone: '+1-555-0100', skills: [] },
    });
    expect(participant.status).toBe(201);
    const participantId = Number(Object.keys(participant.json())[0]);
    const give = { participant_id: participantId, tokens: 10 };
    expect(
      (await call('PUT', '/hackathon/bbt_token_admin_give', { headers: bearer(SECRETS.HACKATHON_ADMIN_TOKEN), body: give })).status,
    ).toBe(200);
    expect((await call('PUT', '/hackathon/bbt_token_admin_give', { headers: bearer(WRONG[1] as string), body: give })).status).toBe(401);

    // raffle: issued verification codes, verified right and wrong
    const raffle = await call('POST', '/raffle/raffles', {
      body: { name: 'Logs', total_tickets: 2, prizes: [{ name: 'Mug', amount: 1 }] },
    });
    expect(raffle.status).toBe(201);
    const raffleId = String(raffle.json().raffle_id);
    const tickets: { ticket_number: number; verification_code: string }[] = [];
    for (const ip of ['10.20.0.1', '10.20.0.2']) {
      const claim = await call('POST', `/raffle/raffles/${raffleId}/participate`, { headers: { 'x-forwarded-for': ip } });
      expect(claim.status).toBe(201);
      const ticket = claim.json() as unknown as { ticket_number: number; verification_code: string };
      tickets.push(ticket);
      issued.push(ticket.verification_code, ticket.verification_code.replace(/-/g, ''));
    }
    expect((await call('POST', `/raffle/raffles/${raffleId}/winners`)).status).toBe(201);
    for (const ticket of tickets) {
      const body = { ticket_number: ticket.ticket_number, verification_code: ticket.verification_code };
      expect((await call('POST', `/raffle/raffles/${raffleId}/verify-ticket`, { body })).status).toBe(200);
    }
    const [first] = tickets;
    const wrongCode = 'ZZZZ-ZZZZ-ZZZZ-ZZZZ';
    issued.push(wrongCode, wrongCode.replace(/-/g, ''));
    const wrong = await call('POST', `/raffle/raffles/${raffleId}/verify-ticket`, {
      body: { ticket_number: first?.ticket_number, verification_code: wrongCode },
    });
    expect(wrong.status).toBeGreaterThanOrEqual(400);

    // arena: operator key, issued player tokens used as bearer, a wrong token
    const players: { id: number; token: string }[] = [];
    for (const name of ['logs-a', 'logs-b']) {
      const created = await call('POST', '/arena/players', { headers: bearer(SECRETS.ARENA_API_KEY), body: { name, gold: 100 } });
      expect(created.status).toBe(201);
      const player = created.json() as unknown as { id: number; token: string };
      players.push(player);
      issued.push(player.token);
    }
    const [a, b] = players as [{ id: number; token: string }, { id: number; token: string }];
    expect((await call('GET', `/arena/players/${a.id}`, { headers: bearer(a.token) })).status).toBe(200);
    expect(
      (await call('POST', '/arena/battles', { headers: bearer(a.token), body: { attacker_id: a.id, defender_id: b.id } })).status,
    ).toBe(202);
    expect((await call('GET', `/arena/players/${a.id}`, { headers: bearer(WRONG[0] as string) })).status).toBe(401);

    // A client that puts credentials in the query string: the logged URL must not carry them.
    const inQuery = `/pokemon/trainers?api_key=${SECRETS.ARENA_API_KEY}&access%5Ftoken=${a.token}&limit=5`;
    expect((await call('GET', inQuery)).status).toBeLessThan(500);

    // pokemon: no secrets, but part of the run
    expect(
      (await call('POST', '/pokemon/trainers', { body: { id: 'logs-ash', firstName: 'Ash', lastName: 'K', dateOfBirth: '1987-05-22' } }))
        .status,
    ).toBe(201);

    // Let the clock tick against both shops and the battle worker run, then shut down cleanly.
    await new Promise((r) => setTimeout(r, 2_500));
    const exited = new Promise<number | null>((resolve) => child?.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);

    // The run was really logged at trace level, requests and background work included.
    expect(output.match(/"msg":"incoming request"/g)?.length ?? 0).toBeGreaterThanOrEqual(25);
    const leaked = [...Object.values(SECRETS), ...WRONG, ...issued].filter((secret) => output.includes(secret));
    expect(leaked).toEqual([]);
    // A fresh embedded database is initialised and migrated at start: minutes on a busy machine.
  }, 480_000);
});

function cart() {
  return { customer_name: 'Logs', character_class: 'Warrior', level: 5 };
}

async function waitFor<T>(probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}
