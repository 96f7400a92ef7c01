import type { App } from '../../../platform/service.js';

export const ADMIN_TOKEN = 'test-hackathon-admin-token';
export const ERROR_KEYS = ['code', 'error', 'message', 'statusCode'];

let counter = 0;

export function person(overrides: Record<string, unknown> = {}) {
  counter++;
  return {
    name: `Hacker ${counter}`,
    company: 'Acme',
    email: `hacker${counter}-${Math.random().toString(36).slice(2, 8)}@example.com`,
    phone: '+1-555-0100',
    skills: [{ skill: 'Go', rating: 3 }],
    ...overrides,
  };
}

/** Registers a participant through the API and returns its id. */
export async function register(app: App, overrides: Record<string, unknown> = {}): Promise<number> {
  const res = await app.inject({ method: 'POST', url: '/hackathon/register', payload: person(overrides) });
  if (res.statusCode !== 201) throw new Error(`register failed: ${res.statusCode} ${res.body}`);
  const [id] = Object.keys(res.json());
  return Number(id);
}

export async function giveTokens(app: App, participantId: number, tokens: number) {
  return app.inject({
    method: 'PUT',
    url: '/hackathon/bbt_token_admin_give',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    payload: { participant_id: participantId, tokens },
  });
}

export async function getUser(app: App, id: number) {
  const res = await app.inject({ method: 'GET', url: `/hackathon/users/${id}` });
  return res.json()[String(id)];
}
