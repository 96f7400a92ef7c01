import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { queryRows } from '../../../src/platform/db.js';
import { pick, unknownOutcome } from '../support/api.js';
import { type Flow, type FlowContext, SECRETS } from './types.js';

const PARTICIPANTS = 16;
const START_TOKENS = 30;
const NEXT: Record<string, string> = { Placed: 'In Progress', 'In Progress': 'Out for Delivery', 'Out for Delivery': 'Delivered' };

interface Participant {
  id: number;
  given: number;
  /** Token exchanges answered 200 (each gives this participant one token). */
  exchanges: number;
  /** Exchanges whose outcome is unknown (0 or 1 token each). */
  unknownExchanges: number;
}

/** Boba token exchanges, orders paid in tokens, and order moves including refunding cancellations. */
export function hackathonFlow({ api, db, exact }: FlowContext): Flow {
  const participants: Participant[] = [];
  /** Orders as the clients know them: id → status (undefined once a move's outcome is unknown). */
  const orders = new Map<number, { participant: number; status: string | undefined }>();
  let unknownOrders = 0;
  let refunds = 0;
  const admin = { authorization: `Bearer ${SECRETS.HACKATHON_ADMIN_TOKEN}` };
  const run = randomBytes(3).toString('hex');

  async function exchange(): Promise<void> {
    const a = pick(participants);
    let b = pick(participants);
    while (b === a) b = pick(participants);
    const res = await api.call('hackathon.exchange', 'PUT', '/hackathon/bbt_token_exchange', {
      body: { participant_1_id: a.id, participant_2_id: b.id },
    });
    if (res.status === 200) {
      a.exchanges++;
      b.exchanges++;
    } else if (unknownOutcome(res)) {
      a.unknownExchanges++;
      b.unknownExchanges++;
    } else if (res.status !== 429) throw new Error(`exchange: ${res.status} ${JSON.stringify(res.body)}`);
  }

  async function order(): Promise<void> {
    const p = pick(participants);
    const res = await api.call('hackathon.order', 'POST', '/hackathon/boba', { body: { participant_id: p.id, toppings: 'Pearls' } });
    if (res.status === 201) {
      for (const id of Object.keys(res.body as object)) orders.set(Number(id), { participant: p.id, status: 'Placed' });
    } else if (unknownOutcome(res)) unknownOrders++;
    else if (res.status !== 409) throw new Error(`order: ${res.status} ${JSON.stringify(res.body)}`);
  }

  /** Moves an order on; a cancellation is sent through every server at once — one refund at most. */
  async function move(): Promise<void> {
    const open = [...orders].filter(([, o]) => o.status !== undefined && o.status in NEXT);
    if (open.length === 0) return order();
    const [id, o] = pick(open);
    const cancel = o.status !== 'Out for Delivery' && Math.random() < 0.4;
    const to = cancel ? 'Cancelled' : (NEXT[o.status as string] as string);
    const tries = cancel ? Math.max(2, api.servers) : 1;
    const results = await Promise.all(
      Array.from({ length: tries }, (_, i) =>
        api.call('hackathon.move', 'PUT', '/hackathon/boba', { body: { order_id: id, status: to }, server: i % api.servers }),
      ),
    );
    const ok = results.filter((r) => r.status === 200).length;
    if (cancel && exact) expect(ok, `order ${id} cancelled (and refunded) at most once`).toBeLessThanOrEqual(1);
    if (results.some(unknownOutcome)) o.status = undefined;
    else if (ok > 0) {
      o.status = to;
      if (cancel) refunds += ok;
    }
    for (const r of results) if (r.status !== 200 && r.status !== 409 && !unknownOutcome(r)) throw new Error(`move: ${r.status}`);
  }

  return {
    name: 'hackathon',
    async setup() {
      for (let i = 0; i < PARTICIPANTS; i++) {
        const res = await api.call('hackathon.register', 'POST', '/hackathon/register', {
          body: { name: `Hacker ${i}`, company: 'Scale', email: `scale-${run}-${i}@example.test`, phone: '555', skills: [] },
        });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        const id = Number(Object.keys(res.body as object)[0]);
        const give = await api.call('hackathon.give', 'PUT', '/hackathon/bbt_token_admin_give', {
          headers: admin,
          body: { participant_id: id, tokens: START_TOKENS },
        });
        expect(give.status, JSON.stringify(give.body)).toBe(200);
        participants.push({ id, given: START_TOKENS, exchanges: 0, unknownExchanges: 0 });
      }
    },
    async step() {
      const r = Math.random();
      if (r < 0.4) await exchange();
      else if (r < 0.75) await order();
      else await move();
    },
    async settle() {},
    async check() {
      const ids = participants.map((p) => p.id);
      const balances = await queryRows<{ id: number; bbt_tokens: number }>(
        db,
        `SELECT id, bbt_tokens FROM hackathon.participants WHERE id IN (${ids.join(',')})`,
      );
      const dbOrders = await queryRows<{ id: number; participant_id: number; status: string; tokens_spent: number }>(
        db,
        `SELECT id, participant_id, status, tokens_spent FROM hackathon.boba_orders WHERE participant_id IN (${ids.join(',')})`,
      );
      // Every cancellation answered 200 refunded once; a cancellation answered 503 may have happened too.
      const cancelled = dbOrders.filter((o) => o.status === 'Cancelled').length;
      if (exact) expect(cancelled, 'cancellations answered 200 = cancelled orders').toBe(refunds);
      else expect(cancelled).toBeGreaterThanOrEqual(refunds);
      for (const [id, o] of orders) {
        const row = dbOrders.find((x) => Number(x.id) === id);
        expect(row, `order ${id} answered 201 exists`).toBeDefined();
        if (o.status !== undefined) expect(row?.status, `order ${id}`).toBe(o.status);
      }
      if (exact) expect(dbOrders.length, 'orders answered 201 = orders recorded').toBe(orders.size);
      else expect(dbOrders.length).toBeLessThanOrEqual(orders.size + unknownOrders);
      for (const p of participants) {
        const balance = Number(balances.find((b) => Number(b.id) === p.id)?.bbt_tokens);
        const spent = dbOrders
          .filter((o) => Number(o.participant_id) === p.id && o.status !== 'Cancelled')
          .reduce((s, o) => s + Number(o.tokens_spent), 0);
        const known = p.given + p.exchanges - spent;
        expect(balance, `participant ${p.id} never below 0`).toBeGreaterThanOrEqual(0);
        // Tokens = given + one per exchange − the price of every order not cancelled.
        expect(balance - known, `participant ${p.id}'s tokens`).toBeGreaterThanOrEqual(0);
        expect(balance - known, `participant ${p.id}'s tokens`).toBeLessThanOrEqual(exact ? 0 : p.unknownExchanges);
      }
    },
  };
}
