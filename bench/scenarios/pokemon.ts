import { randomBytes } from 'node:crypto';
import type { Scenario } from '../types.js';

const ROWS = 100_000;
const TRAINERS = 1_000;

async function post(url: string, body: unknown, contentType = 'application/json'): Promise<Response> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`POST ${url} → ${res.status}: ${await res.text()}`);
  return res;
}

function trainersCsv(prefix: string, count: number): string {
  const lines = ['id,firstName,lastName,dateOfBirth'];
  for (let i = 0; i < count; i++) lines.push(`${prefix}t${i},First${i},Last${i},${String((i % 28) + 1).padStart(2, '0')}-05-1990`);
  return `${lines.join('\n')}\n`;
}

function pokemonCsv(prefix: string, count: number, trainers: number): string {
  const species = ['pikachu', 'bulbasaur', 'charmander', 'squirtle', 'eevee', 'onix'];
  const lines = ['id,nickname,species,level,owner,dateOfOwnership'];
  for (let i = 0; i < count; i++) {
    lines.push(
      `${prefix}p${i},nick${i},${species[i % species.length]},${(i % 100) + 1},${prefix}t${i % trainers},${String((i % 28) + 1).padStart(2, '0')}-03-2001`,
    );
  }
  return `${lines.join('\n')}\n`;
}

const unique = () => `b${randomBytes(4).toString('hex')}-`;

export const pokemonScenarios: Scenario[] = [
  {
    name: 'pokemon.import-100k',
    description: 'POST /pokemon/imports of a generated 100,000-row pokemon CSV (1,000 trainers imported first); wall time',
    target: { maxWallMs: 5_000 },
    run: async (ctx) => {
      const prefix = unique();
      await post(`${ctx.baseUrl}/pokemon/imports?type=trainers`, trainersCsv(prefix, TRAINERS), 'text/csv');
      const csv = pokemonCsv(prefix, ROWS, TRAINERS);
      const started = performance.now();
      const res = await post(`${ctx.baseUrl}/pokemon/imports?type=pokemon`, csv, 'text/csv');
      const wallMs = performance.now() - started;
      const body = (await res.json()) as { inserted: number };
      if (body.inserted !== ROWS) throw new Error(`expected ${ROWS} inserted, got ${JSON.stringify(body)}`);
      return { wallMs, notes: { rows: ROWS, bytes: Buffer.byteLength(csv), rowsPerSec: Math.round((ROWS / wallMs) * 1000) } };
    },
  },
  {
    name: 'pokemon.get',
    description: 'GET /pokemon/pokemon/{id} (cached single read with history)',
    target: { minRatio: 0.25 },
    run: async (ctx) => {
      const prefix = unique();
      await post(`${ctx.baseUrl}/pokemon/trainers`, { id: `${prefix}ash`, firstName: 'Ash', lastName: 'K', dateOfBirth: '1987-05-22' });
      await post(`${ctx.baseUrl}/pokemon/pokemon`, {
        id: `${prefix}pika`,
        nickname: 'Pika',
        species: 'pikachu',
        level: 25,
        owner: `${prefix}ash`,
      });
      return { load: await ctx.load({ url: `${ctx.baseUrl}/pokemon/pokemon/${prefix}pika` }) };
    },
  },
  {
    name: 'pokemon.trade',
    description: 'POST /pokemon/trades between disjoint trainer pairs (one pair per connection, trading a pokemon back and forth)',
    target: { minRatio: 0.05 },
    run: async (ctx) => {
      const prefix = unique();
      const pairs = ctx.connections;
      for (let i = 0; i < pairs; i++) {
        for (const side of ['a', 'b']) {
          await post(`${ctx.baseUrl}/pokemon/trainers`, {
            id: `${prefix}${side}${i}`,
            firstName: 'T',
            lastName: side,
            dateOfBirth: '1990-01-01',
          });
        }
        await post(`${ctx.baseUrl}/pokemon/pokemon`, {
          id: `${prefix}p${i}`,
          nickname: 'P',
          species: 'eevee',
          level: 5,
          owner: `${prefix}a${i}`,
        });
      }
      // autocannon resets a connection's context after each pass over `requests`, so the state lives
      // here: a pass claims a free pair, trades its pokemon over and back, and frees the pair again.
      const holder: ('a' | 'b')[] = Array.from({ length: pairs }, () => 'a');
      const free = Array.from({ length: pairs }, (_, i) => i);
      interface Conn {
        pair: number;
      }
      const body = (pair: number) => {
        const giver = holder[pair] ?? 'a';
        const taker = giver === 'a' ? 'b' : 'a';
        return JSON.stringify({
          trainerA: `${prefix}${giver}${pair}`,
          trainerB: `${prefix}${taker}${pair}`,
          pokemonA: [`${prefix}p${pair}`],
          pokemonB: [],
        });
      };
      const traded = (status: number, context: unknown) => {
        const { pair } = context as Conn;
        if (status === 201) holder[pair] = holder[pair] === 'a' ? 'b' : 'a';
      };
      const request = { method: 'POST' as const, path: '/pokemon/trades', headers: { 'content-type': 'application/json' } };
      const load = await ctx.load({
        url: `${ctx.baseUrl}/pokemon/trades`,
        requests: [
          {
            ...request,
            setupRequest: (req, context) => {
              const conn = context as Conn;
              conn.pair = free.pop() ?? 0;
              return { ...req, body: body(conn.pair) };
            },
            onResponse: (status, _body, context) => traded(status, context),
          },
          {
            ...request,
            setupRequest: (req, context) => ({ ...req, body: body((context as Conn).pair) }),
            onResponse: (status, _body, context) => {
              traded(status, context);
              free.push((context as Conn).pair);
            },
          },
        ],
      });
      return { load };
    },
  },
];
