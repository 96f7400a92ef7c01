import type { App } from '../../../platform/service.js';

export const MANAGER = '127.0.0.1';
/** A distinct player address per index (10.x.y.z). */
export const playerIp = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

export interface CreatedRaffle {
  raffle_id: string;
  total_tickets: number;
  available_tickets: number;
}

export async function createRaffle(
  app: App,
  total: number,
  prizes: { name: string; amount: number }[] = [{ name: 'Prize', amount: 1 }],
  name = 'Test raffle',
): Promise<CreatedRaffle> {
  const res = await app.inject({
    method: 'POST',
    url: '/raffle/raffles',
    remoteAddress: MANAGER,
    payload: { name, total_tickets: total, prizes },
  });
  if (res.statusCode !== 201) throw new Error(`create failed: ${res.statusCode} ${res.body}`);
  return res.json();
}

export async function claim(app: App, raffleId: string, ip: string) {
  return app.inject({ method: 'POST', url: `/raffle/raffles/${raffleId}/participate`, remoteAddress: ip });
}

/** Claims every ticket from distinct addresses; returns ticket → code. */
export async function claimAll(app: App, raffleId: string, total: number, offset = 0): Promise<Map<number, string>> {
  const codes = new Map<number, string>();
  for (let i = 0; i < total; i++) {
    const res = await claim(app, raffleId, playerIp(offset + i + 1));
    if (res.statusCode !== 201) throw new Error(`claim failed: ${res.statusCode} ${res.body}`);
    const body = res.json() as { ticket_number: number; verification_code: string };
    codes.set(body.ticket_number, body.verification_code);
  }
  return codes;
}

export async function draw(app: App, raffleId: string, ip = MANAGER) {
  return app.inject({ method: 'POST', url: `/raffle/raffles/${raffleId}/winners`, remoteAddress: ip });
}

export async function verify(app: App, raffleId: string, ticket: unknown, code: unknown, ip = '192.0.2.1') {
  return app.inject({
    method: 'POST',
    url: `/raffle/raffles/${raffleId}/verify-ticket`,
    remoteAddress: ip,
    payload: { ticket_number: ticket, verification_code: code },
  });
}
