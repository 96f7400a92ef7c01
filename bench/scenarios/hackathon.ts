import { generateParticipants } from '../../src/services/hackathon/domain/generator.js';
import type { BenchContext, Scenario } from '../types.js';

const PARTICIPANTS = 1000;

interface Seeded {
  ids: number[];
  setupMs: number;
}

// Every scenario of a run shares one server: register the participants once, through the API.
const seeded = new Map<string, Promise<Seeded>>();

function seed(ctx: BenchContext): Promise<Seeded> {
  let pending = seeded.get(ctx.baseUrl);
  if (!pending) {
    pending = registerAll(ctx.baseUrl);
    seeded.set(ctx.baseUrl, pending);
  }
  return pending;
}

async function registerAll(baseUrl: string): Promise<Seeded> {
  const started = performance.now();
  const records = generateParticipants({ count: PARTICIPANTS, seed: 'bench' });
  const ids: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < records.length) {
      const record = records[next++];
      const res = await fetch(`${baseUrl}/hackathon/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(record),
      });
      if (res.status === 201) ids.push(Number(Object.keys((await res.json()) as object)[0]));
      else if (res.status !== 409) throw new Error(`register answered ${res.status}: ${await res.text()}`);
      else await res.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  // A database kept from an earlier run answers 409 for the same generated emails: take the ids it has.
  if (ids.length < records.length) {
    const res = await fetch(`${baseUrl}/hackathon/users`);
    if (res.status !== 200) throw new Error(`list users answered ${res.status}: ${await res.text()}`);
    ids.splice(0, ids.length, ...Object.keys((await res.json()) as object).map(Number));
  }
  ids.sort((a, b) => a - b);
  return { ids, setupMs: Math.round(performance.now() - started) };
}

export const hackathonScenarios: Scenario[] = [
  {
    name: 'hackathon.user',
    description: 'GET /hackathon/users/{id} — one participant with check-in state and skills (one SQL query), 1,000 registered',
    target: { minRatio: 0.2 },
    run: async (ctx) => {
      const { ids, setupMs } = await seed(ctx);
      // A fixed cycle of 100 ids spread over the table (static requests keep the client cheap).
      const step = Math.max(1, Math.floor(ids.length / 100));
      const load = await ctx.load({
        url: `${ctx.baseUrl}/hackathon/users/${ids[0]}`,
        requests: ids.filter((_, i) => i % step === 0).map((id) => ({ path: `/hackathon/users/${id}` })),
      });
      return { load, notes: { participants: ids.length, setupMs } };
    },
  },
  {
    name: 'hackathon.skills',
    description: 'GET /hackathon/skills?keyword=… — skill statistics (SQL aggregate, cached and invalidated on writes)',
    target: { minRatio: 0.4 },
    run: async (ctx) => {
      await seed(ctx);
      const keywords = ['py', 'script', 'go', 'react', 'sql', 'rust'];
      const load = await ctx.load({
        url: `${ctx.baseUrl}/hackathon/skills?keyword=py`,
        requests: keywords.map((k) => ({ path: `/hackathon/skills?keyword=${k}` })),
      });
      return { load };
    },
  },
  {
    name: 'hackathon.users-all',
    description: 'GET /hackathon/users — all 1,000 participants keyed by id in one SQL query (~300 KB a response)',
    run: async (ctx) => {
      const { ids } = await seed(ctx);
      return { load: await ctx.load({ url: `${ctx.baseUrl}/hackathon/users` }), notes: { participants: ids.length } };
    },
  },
  {
    name: 'hackathon.token-exchange',
    description:
      'PUT /hackathon/bbt_token_exchange — random distinct pairs; exchanges in flight together share one statement and commit, rows locked in id order',
    // The cooldown is 0 for the bench server so every request does the full write; with the default
    // 5 s most requests would (correctly) be refused with 429, which measures the refusal instead.
    env: { HACKATHON_EXCHANGE_COOLDOWN_SECONDS: '0' },
    target: { minRatio: 0.08 },
    run: async (ctx) => {
      const { ids } = await seed(ctx);
      // A fixed pseudo-random walk over pairs (a ≠ b), so runs are comparable.
      let state = 12345;
      const rnd = () => {
        state = (state * 1103515245 + 12345) % 2 ** 31;
        return state % ids.length;
      };
      const load = await ctx.load({
        url: `${ctx.baseUrl}/hackathon/bbt_token_exchange`,
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        requests: [
          {
            setupRequest: (req) => {
              const a = rnd();
              const b = (a + 1 + (rnd() % (ids.length - 1))) % ids.length;
              return { ...req, body: JSON.stringify({ participant_1_id: ids[a], participant_2_id: ids[b] }) };
            },
          },
        ],
      });
      return { load, notes: { cooldown: 'HACKATHON_EXCHANGE_COOLDOWN_SECONDS=0 (see description)' } };
    },
  },
];
