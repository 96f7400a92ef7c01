import pg from 'pg';
import type { BenchContext, Scenario } from '../types.js';

// The bench talks to the server from 127.0.0.1; trusting that proxy lets each request present its own
// client address in X-Forwarded-For (one claim per client IP would otherwise stop the run at one claim).
const env = { TRUST_PROXY: '127.0.0.1', RAFFLE_MANAGER_IPS: '127.0.0.1,::1' };

/** A distinct IPv4 client per n (11.0.0.0/8 and up: 16 million before repeating). */
const clientIp = (n: number) => `${11 + ((n >>> 24) & 63)}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
let nextClient = 0;

async function post(ctx: BenchContext, path: string, body?: unknown, forwardedFor?: string): Promise<Response> {
  return fetch(`${ctx.baseUrl}/raffle${path}`, {
    method: 'POST',
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function createRaffle(ctx: BenchContext, total: number, prizes: { name: string; amount: number }[]): Promise<string> {
  const res = await post(ctx, '/raffles', { name: `bench ${total}`, total_tickets: total, prizes });
  if (res.status !== 201) throw new Error(`create raffle: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { raffle_id: string }).raffle_id;
}

/** Claims every ticket through the API from distinct addresses, `parallel` at a time; ticket → code. */
async function claimAll(ctx: BenchContext, raffleId: string, total: number, parallel = 50): Promise<Map<number, string>> {
  const codes = new Map<number, string>();
  let left = total;
  const worker = async () => {
    while (left > 0) {
      left--;
      const res = await post(ctx, `/raffles/${raffleId}/participate`, undefined, clientIp(nextClient++));
      if (res.status !== 201) throw new Error(`claim: ${res.status} ${await res.text()}`);
      const t = (await res.json()) as { ticket_number: number; verification_code: string };
      codes.set(t.ticket_number, t.verification_code);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return codes;
}

/**
 * Makes a raffle sold out. With DATABASE_URL (the bench's real-PostgreSQL mode) the claims are
 * bulk-inserted exactly as a million claims would leave them (one row per ticket, distinct client,
 * random salt and hash; the counter at N), which takes seconds instead of the minutes a million HTTP
 * claims take. The draw being measured reads only the counter, so the setup does not flatter it.
 * On the embedded database (one process owns it) the claims go through the API.
 */
async function soldOut(ctx: BenchContext, raffleId: string, total: number): Promise<string> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    await ctx.load({
      url: `${ctx.baseUrl}/raffle/raffles/${raffleId}/participate`,
      connections: 100,
      amount: total,
      requests: [
        { method: 'POST', setupRequest: (req) => ({ ...req, headers: { ...req.headers, 'x-forwarded-for': clientIp(nextClient++) } }) },
      ],
    });
    return 'claims through the API';
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO raffle.claims (raffle_id, seq, client_ip, code_salt, code_hash)
       SELECT $1, g, 'bench-' || g, substring(sha256(int4send(g)) from 1 for 16), sha256(int4send(-g))
       FROM generate_series(0, $2 - 1) AS g`,
      [raffleId, total],
    );
    await client.query('UPDATE raffle.raffles SET claimed = total_tickets WHERE id = $1', [raffleId]);
    await client.query('COMMIT');
    // Settle the setup's million rows now (the autovacuum their insert triggers, then the checkpoint), so
    // neither runs during the draw or the verify-ticket scenario that follows.
    await client.query('VACUUM (ANALYZE) raffle.claims').catch(() => undefined);
    await client.query('CHECKPOINT').catch(() => undefined);
  } finally {
    await client.end();
  }
  return 'claims bulk-inserted in SQL';
}

export const raffleScenarios: Scenario[] = [
  {
    name: 'raffle.create-1m',
    description: 'POST /raffles with 1,000,000 tickets (no per-ticket rows): worst of 5 creations',
    target: { maxWallMs: 1000 },
    env,
    run: async (ctx) => {
      let worst = 0;
      for (let i = 0; i < 5; i++) {
        const start = performance.now();
        await createRaffle(ctx, 1_000_000, [{ name: 'Grand prize', amount: 1 }]);
        worst = Math.max(worst, performance.now() - start);
      }
      return { wallMs: worst };
    },
  },
  {
    name: 'raffle.claim',
    description: 'POST /participate, 100 concurrent clients, a distinct client IP (X-Forwarded-For) per request',
    target: { minRatio: 0.08 },
    env,
    run: async (ctx) => {
      const raffleId = await createRaffle(ctx, 50_000_000, [{ name: 'Grand prize', amount: 1 }]);
      const load = await ctx.load({
        url: `${ctx.baseUrl}/raffle/raffles/${raffleId}/participate`,
        connections: 100,
        requests: [
          { method: 'POST', setupRequest: (req) => ({ ...req, headers: { ...req.headers, 'x-forwarded-for': clientIp(nextClient++) } }) },
        ],
      });
      return { load };
    },
  },
  {
    name: 'raffle.draw-100k',
    description: 'POST /winners: draw 100,000 prizes over 1,000,000 claimed tickets',
    target: { maxWallMs: 3000 },
    env,
    run: async (ctx) => {
      const total = 1_000_000;
      const raffleId = await createRaffle(ctx, total, [
        { name: 'Grand prize', amount: 1 },
        { name: 'Voucher', amount: 99_999 },
      ]);
      const setup = await soldOut(ctx, raffleId, total);
      const start = performance.now();
      const res = await post(ctx, `/raffles/${raffleId}/winners`);
      const winners = (await res.json()) as unknown[];
      const wallMs = performance.now() - start;
      if (res.status !== 201 || winners.length !== 100_000) throw new Error(`draw: ${res.status}, ${winners.length} winners`);
      return { wallMs, notes: { setup, winners: winners.length } };
    },
  },
  {
    name: 'raffle.verify',
    description:
      'POST /verify-ticket at a steady 500 requests/s (open loop, evenly paced) over 3,000 tickets and distinct client IPs (all under the rate limits)',
    target: { maxP99Ms: 10 },
    env,
    run: async (ctx) => {
      const total = 3_000;
      const raffleId = await createRaffle(ctx, total, [{ name: 'Voucher', amount: 300 }]);
      const codes = [...(await claimAll(ctx, raffleId, total))];
      const drawn = await post(ctx, `/raffles/${raffleId}/winners`);
      if (drawn.status !== 201) throw new Error(`draw: ${drawn.status} ${await drawn.text()}`);
      const paced = await ctx.paced({
        url: `${ctx.baseUrl}/raffle/raffles/${raffleId}/verify-ticket`,
        method: 'POST',
        rate: 500,
        setup: (i) => {
          const [ticket, code] = codes[i % codes.length] as [number, string];
          return {
            headers: { 'content-type': 'application/json', 'x-forwarded-for': clientIp(nextClient++) },
            body: JSON.stringify({ ticket_number: ticket, verification_code: code }),
          };
        },
      });
      return { paced };
    },
  },
];
