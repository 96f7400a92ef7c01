import { PG, pgConstraint, pgErrorCode } from '../../platform/db.js';
import { errors } from '../../platform/errors.js';
import type { RaffleStore } from './store.js';

/** What a claim resolves to: its claim index and the raffle facts that turn it into a ticket number. */
export interface Claimed {
  seq: number;
  totalTickets: number;
  permKey: Buffer;
}

interface Pending {
  clientIp: string;
  codeSalt: Buffer;
  codeHash: Buffer;
  resolve(claimed: Claimed): void;
  reject(err: unknown): void;
}

export const notFound = (raffleId: string) => errors.notFound(`No raffle ${raffleId}.`, 'RAFFLE_NOT_FOUND');
export const alreadyClaimed = () =>
  errors.forbidden('This client IP already holds a ticket in this raffle; one ticket per client.', 'ALREADY_PARTICIPATING');
const soldOut = () => errors.gone('No tickets left in this raffle.', 'SOLD_OUT');

/**
 * Group commit for claims. Every claim of a raffle takes that raffle's counter row, so claims of one
 * raffle serialise on it; one transaction per claim would cap a raffle at one commit per lock
 * hand-over. Here the first claim goes to the database at once, and the claims that arrive while it is
 * in flight are sent together as the next statement (no timer, no added latency when idle).
 * Correctness stays in the database (row lock, unique constraint); this only changes how many claims
 * share a transaction.
 */
export function createClaimBatcher(store: RaffleStore, maxBatch = 256) {
  const queues = new Map<string, Pending[]>();

  function claim(raffleId: string, member: Omit<Pending, 'resolve' | 'reject'>): Promise<Claimed> {
    return new Promise<Claimed>((resolve, reject) => {
      const queue = queues.get(raffleId);
      const pending = { ...member, resolve, reject };
      if (queue) {
        queue.push(pending);
        return;
      }
      queues.set(raffleId, [pending]);
      void drain(raffleId);
    });
  }

  async function drain(raffleId: string): Promise<void> {
    for (;;) {
      const queue = queues.get(raffleId) ?? [];
      if (queue.length === 0) {
        queues.delete(raffleId);
        return;
      }
      const batch = queue.splice(0, maxBatch);
      try {
        await settle(raffleId, batch);
      } catch (err) {
        // settle answers every claim itself; this only guards the queue against a bug stalling it.
        for (const p of batch) p.reject(err);
      }
    }
  }

  async function settle(raffleId: string, batch: Pending[]): Promise<void> {
    // Two requests of one client in a batch: the first speaks for the client, the others get 403
    // once it holds a ticket (as they would one after the other), otherwise its answer.
    const firsts = new Map<string, Pending>();
    const duplicates: Pending[] = [];
    for (const p of batch) {
      if (firsts.has(p.clientIp)) duplicates.push(p);
      else firsts.set(p.clientIp, p);
    }
    const members = [...firsts.values()];
    const outcome = new Map<string, { ok: Claimed } | { err: unknown }>();
    try {
      const result = await store.claimBatch(raffleId, members);
      for (const m of members) {
        const seq = result?.granted.get(m.clientIp);
        if (!result) outcome.set(m.clientIp, { err: notFound(raffleId) });
        else if (seq !== undefined) outcome.set(m.clientIp, { ok: { seq, totalTickets: result.totalTickets, permKey: result.permKey } });
        else if (result.existing.has(m.clientIp)) outcome.set(m.clientIp, { err: alreadyClaimed() });
        else outcome.set(m.clientIp, { err: soldOut() });
      }
    } catch (err) {
      const oneClientRaced = pgErrorCode(err) === PG.uniqueViolation && pgConstraint(err) === 'claims_one_per_client';
      if (oneClientRaced && members.length > 1) {
        // Someone in the batch claimed through another process meanwhile: nothing was written;
        // settle claim by claim so only that client is refused.
        for (const m of members) await settle(raffleId, [m]);
        for (const d of duplicates) d.reject(alreadyClaimed());
        return;
      }
      for (const m of members) outcome.set(m.clientIp, { err: oneClientRaced ? alreadyClaimed() : err });
    }
    for (const m of members) {
      const o = outcome.get(m.clientIp);
      if (o && 'ok' in o) m.resolve(o.ok);
      else m.reject(o?.err);
    }
    for (const d of duplicates) {
      const o = outcome.get(d.clientIp);
      if (!o || 'ok' in o) d.reject(alreadyClaimed());
      else d.reject(o.err);
    }
  }

  return { claim };
}
