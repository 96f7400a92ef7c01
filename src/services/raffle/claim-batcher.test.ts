import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.js';
import { createClaimBatcher } from './claim-batcher.js';
import type { RaffleStore } from './store.js';

type Batch = Parameters<RaffleStore['claimBatch']>[1];

const uniqueViolation = () => Object.assign(new Error('duplicate key'), { code: '23505', constraint: 'claims_one_per_client' });
const member = (clientIp: string) => ({ clientIp, codeSalt: Buffer.alloc(16), codeHash: Buffer.alloc(32) });

/** An in-memory stand-in for the claim statement, with the same all-or-nothing outcome. */
function fakeStore(total: number, options: { raceOn?: string } = {}) {
  const holders = new Map<string, number>();
  const batches: string[][] = [];
  let raced = false;
  const store = {
    async claimBatch(_raffleId: string, members: Batch) {
      batches.push(members.map((m) => m.clientIp));
      await new Promise((r) => setTimeout(r, 5));
      // Another process claims for `raceOn` just before this statement inserts: the statement fails.
      if (options.raceOn && !raced && members.some((m) => m.clientIp === options.raceOn)) {
        raced = true;
        holders.set(options.raceOn, holders.size);
        throw uniqueViolation();
      }
      const granted = new Map<string, number>();
      const existing = new Set<string>();
      for (const m of members) {
        if (holders.has(m.clientIp)) existing.add(m.clientIp);
        else if (holders.size < total) {
          granted.set(m.clientIp, holders.size);
          holders.set(m.clientIp, holders.size);
        }
      }
      return { totalTickets: total, permKey: Buffer.alloc(32), granted, existing };
    },
  } as unknown as RaffleStore;
  return { store, batches };
}

const statusOf = (p: Promise<unknown>) =>
  p.then(
    () => 201,
    (err: unknown) => (err instanceof AppError ? err.statusCode : 500),
  );

describe('claim batcher', () => {
  it('sends the first claim at once and the ones arriving meanwhile as one batch', async () => {
    const { store, batches } = fakeStore(100);
    const batcher = createClaimBatcher(store);
    const statuses = await Promise.all(['a', 'b', 'c', 'd'].map((ip) => statusOf(batcher.claim('r', member(ip)))));
    expect(statuses).toEqual([201, 201, 201, 201]);
    expect(batches).toEqual([['a'], ['b', 'c', 'd']]);
  });

  it('answers duplicates of one client in a batch with 403, and sold-out claims with 410', async () => {
    const { store } = fakeStore(2);
    const batcher = createClaimBatcher(store);
    const statuses = await Promise.all(['a', 'b', 'b', 'c', 'd'].map((ip) => statusOf(batcher.claim('r', member(ip)))));
    expect(statuses).toEqual([201, 201, 403, 410, 410]);
  });

  it('retries claim by claim when another process raced one client of the batch', async () => {
    const { store, batches } = fakeStore(100, { raceOn: 'c' });
    const batcher = createClaimBatcher(store);
    const statuses = await Promise.all(['a', 'b', 'c', 'd', 'c'].map((ip) => statusOf(batcher.claim('r', member(ip)))));
    expect(statuses).toEqual([201, 201, 403, 201, 403]);
    expect(batches).toEqual([['a'], ['b', 'c', 'd'], ['b'], ['c'], ['d']]);
  });

  it('passes unexpected errors to every claim of the batch', async () => {
    const store = { claimBatch: async () => Promise.reject(new Error('boom')) } as unknown as RaffleStore;
    const batcher = createClaimBatcher(store);
    await expect(batcher.claim('r', member('a'))).rejects.toThrow('boom');
  });
});
