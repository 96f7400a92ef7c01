import { expect } from 'vitest';
import { queryRows } from '../../../src/platform/db.js';
import { pick, unknownOutcome } from '../support/api.js';
import { type Flow, type FlowContext, RAFFLE_MANAGER_IP } from './types.js';

const TICKETS = 40;
const PRIZES = [
  { name: 'Goblet', amount: 1 },
  { name: 'Mug', amount: 4 },
];
const OPEN_RAFFLES = 3;

interface RaffleState {
  id: string;
  /** Ticket numbers handed out, as the clients were told (a repeat would be a duplicate ticket). */
  tickets: number[];
  unknownClaims: number;
  full: boolean;
  drawing: boolean;
  /** Winners as the one successful draw answered. */
  winners?: { ticket_number: number; prize: string }[];
  drawsAccepted: number;
}

/** Raffle claims from many client addresses (X-Forwarded-For via the trusted proxy), draws when full. */
export function raffleFlow({ api, db, exact }: FlowContext): Flow {
  const raffles: RaffleState[] = [];
  let clients = 0;
  let creating = 0;
  const nextClient = () => {
    clients++;
    return `10.${(clients >> 16) & 255}.${(clients >> 8) & 255}.${clients & 255}`;
  };
  const manager = { 'x-forwarded-for': RAFFLE_MANAGER_IP };

  async function create(): Promise<void> {
    const res = await api.call('raffle.create', 'POST', '/raffle/raffles', {
      headers: manager,
      body: { name: `Scale raffle ${raffles.length + 1}`, total_tickets: TICKETS, prizes: PRIZES },
    });
    if (res.status === 201) {
      raffles.push({
        id: (res.body as { raffle_id: string }).raffle_id,
        tickets: [],
        unknownClaims: 0,
        full: false,
        drawing: false,
        drawsAccepted: 0,
      });
      return;
    }
    if (!unknownOutcome(res)) throw new Error(`create raffle: ${res.status} ${JSON.stringify(res.body)}`);
  }

  /** Two managers draw at once, one through each server: exactly one draw may win. */
  async function draw(r: RaffleState): Promise<void> {
    if (r.drawing || r.winners) return;
    r.drawing = true;
    const results = await Promise.all(
      Array.from({ length: Math.max(2, api.servers) }, (_, i) =>
        api.call('raffle.draw', 'POST', `/raffle/raffles/${r.id}/winners`, { headers: manager, server: i % api.servers }),
      ),
    );
    for (const res of results) {
      if (res.status === 201) {
        r.drawsAccepted++;
        r.winners = res.body as { ticket_number: number; prize: string }[];
      } else if (res.status !== 409 && !unknownOutcome(res)) {
        throw new Error(`draw: ${res.status} ${JSON.stringify(res.body)}`);
      }
    }
    r.drawing = false;
  }

  async function claim(r: RaffleState, ip: string, server?: number): Promise<void> {
    const res = await api.call('raffle.claim', 'POST', `/raffle/raffles/${r.id}/participate`, {
      headers: { 'x-forwarded-for': ip },
      ...(server !== undefined ? { server } : {}),
    });
    if (res.status === 201) r.tickets.push((res.body as { ticket_number: number }).ticket_number);
    else if (res.status === 410) r.full = true;
    else if (unknownOutcome(res)) r.unknownClaims++;
    else if (res.status !== 403) throw new Error(`claim: ${res.status} ${JSON.stringify(res.body)}`);
  }

  return {
    name: 'raffle',
    async setup() {
      for (let i = 0; i < OPEN_RAFFLES; i++) await create();
      expect(raffles).toHaveLength(OPEN_RAFFLES);
    },
    async step() {
      const open = raffles.filter((r) => !r.full);
      if (open.length + creating < OPEN_RAFFLES) {
        creating++;
        await create().finally(() => {
          creating--;
        });
        return;
      }
      const full = raffles.find((r) => r.full && !r.winners && !r.drawing);
      if (full) return draw(full);
      const r = pick(open.length > 0 ? open : raffles);
      const ip = nextClient();
      // One client in three claims twice at the same instant through both servers: one ticket at most.
      if (Math.random() < 0.3) await Promise.all([claim(r, ip, 0), claim(r, ip, 1 % api.servers)]);
      else await claim(r, ip);
    },
    async settle() {
      // Fill every raffle (a short or disturbed run may have left them open), so that every one is drawn.
      for (const r of raffles) {
        for (let i = 0; i <= TICKETS * 2 && !r.full; i++) await claim(r, nextClient());
        expect(r.full, `raffle ${r.id} filled up`).toBe(true);
      }
      for (const r of raffles) if (!r.winners) await draw(r);
      // A draw answered 503 may have happened: the winners list says.
      for (const r of raffles.filter((x) => x.full && !x.winners)) {
        const res = await api.call('raffle.winners', 'GET', `/raffle/raffles/${r.id}/winners`);
        if (res.status === 200) r.winners = res.body as { ticket_number: number; prize: string }[];
      }
    },
    async check() {
      const rows = await queryRows<{ id: string; claimed: number; total_tickets: number; winners_drawn: boolean; claims: number }>(
        db,
        `SELECT r.id, r.claimed, r.total_tickets, r.winners_drawn, (SELECT count(*)::int FROM raffle.claims c WHERE c.raffle_id = r.id) AS claims
         FROM raffle.raffles r`,
      );
      const doubled = await queryRows(db, 'SELECT raffle_id, client_ip FROM raffle.claims GROUP BY 1, 2 HAVING count(*) > 1');
      expect(doubled, 'one claim per client and raffle').toEqual([]);
      expect(raffles.filter((r) => r.winners).length, 'some raffles were filled and drawn').toBeGreaterThan(0);
      for (const r of raffles) {
        const row = rows.find((x) => x.id === r.id);
        expect(row, `raffle ${r.id} exists`).toBeDefined();
        if (!row) continue;
        expect(row.claims).toBe(row.claimed);
        expect(new Set(r.tickets).size, `no duplicate tickets in raffle ${r.id}`).toBe(r.tickets.length);
        for (const t of r.tickets) expect(t >= 1 && t <= TICKETS).toBe(true);
        if (exact) expect(row.claimed, `claims answered 201 = claims recorded (${r.id})`).toBe(r.tickets.length);
        else {
          expect(row.claimed).toBeGreaterThanOrEqual(r.tickets.length);
          expect(row.claimed).toBeLessThanOrEqual(r.tickets.length + r.unknownClaims);
        }
        if (r.full) expect(row.claimed).toBe(TICKETS);
        if (exact) expect(r.drawsAccepted, `raffle ${r.id} drawn at most once`).toBe(r.winners ? 1 : 0);
        else expect(r.drawsAccepted).toBeLessThanOrEqual(1);
        if (r.winners) {
          expect(row.winners_drawn).toBe(true);
          const numbers = r.winners.map((w) => w.ticket_number);
          expect(new Set(numbers).size, 'no ticket wins twice').toBe(numbers.length);
          expect(numbers.length).toBe(PRIZES.reduce((s, p) => s + p.amount, 0));
          const listed = await api.call('raffle.winners', 'GET', `/raffle/raffles/${r.id}/winners`);
          expect(listed.body).toEqual([...r.winners].sort((a, b) => a.ticket_number - b.ticket_number));
        } else {
          expect(row.winners_drawn).toBe(false);
        }
      }
    },
  };
}
