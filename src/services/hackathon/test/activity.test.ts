import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../test/harness.js';
import { createFakeClock } from '../../../platform/clock.js';
import { hackathonService } from '../index.js';
import { getUser, register } from './fixtures.js';

const START = Date.UTC(2026, 5, 1, 9);
const clock = createFakeClock(START);
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp([hackathonService], { clock });
});
afterAll(async () => {
  await t.close();
});

describe('check-in', () => {
  it('reports a participant not yet checked in without time or volunteer', async () => {
    const id = await register(t.app);
    const res = await t.app.inject({ method: 'GET', url: `/hackathon/checkin?participant_id=${id}` });
    expect(res.json()).toEqual({ participant_id: id, checked_in: false });
  });

  it('checks a participant in once, with time and volunteer; a second check-in is 409', async () => {
    const id = await register(t.app);
    const res = await t.app.inject({ method: 'POST', url: '/hackathon/checkin', payload: { participant_id: id, volunteer_id: 42 } });
    expect(res.statusCode).toBe(201);
    const expected = { participant_id: id, checked_in: true, check_in_time: START / 1000, volunteer_id: 42 };
    expect(res.json()).toEqual(expected);
    expect((await t.app.inject({ method: 'GET', url: `/hackathon/checkin?participant_id=${id}` })).json()).toEqual(expected);
    expect((await getUser(t.app, id)).checked_in).toBe(true);
    const again = await t.app.inject({ method: 'POST', url: '/hackathon/checkin', payload: { participant_id: id, volunteer_id: 43 } });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toMatch(/already checked in \(by volunteer 42/);
  });

  it('answers 404 for an unknown participant and 400 for a missing or non-numeric id', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/hackathon/checkin?participant_id=999999' })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/hackathon/checkin' })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: '/hackathon/checkin?participant_id=x' })).statusCode).toBe(400);
    expect(
      (await t.app.inject({ method: 'POST', url: '/hackathon/checkin', payload: { participant_id: 999_999, volunteer_id: 1 } })).statusCode,
    ).toBe(404);
    expect((await t.app.inject({ method: 'POST', url: '/hackathon/checkin', payload: { participant_id: 1 } })).statusCode).toBe(400);
  });
});

describe('badge scans', () => {
  it('records scans, lists a hacker’s newest first and counts per activity with filters', async () => {
    const a = await register(t.app);
    const b = await register(t.app);
    const scan = (participant_id: number, activity_name: string, activity_category: string) =>
      t.app.inject({ method: 'POST', url: '/hackathon/scans', payload: { participant_id, activity_name, activity_category } });
    const first = await scan(a, 'Opening ceremony', 'ceremony');
    expect(first.statusCode).toBe(201);
    expect(first.json()).toEqual({
      participant_id: a,
      activity_name: 'Opening ceremony',
      activity_category: 'ceremony',
      scanned_at: START / 1000,
    });
    clock.advance(60_000);
    await scan(a, 'Lunch', 'meal');
    await scan(b, 'Lunch', 'meal');
    clock.advance(60_000);
    await scan(a, 'Dinner', 'meal');

    const mine = (await t.app.inject({ method: 'GET', url: `/hackathon/users/${a}/scans` })).json();
    expect(mine.map((s: { activity_name: string }) => s.activity_name)).toEqual(['Dinner', 'Lunch', 'Opening ceremony']);

    const all = (await t.app.inject({ method: 'GET', url: '/hackathon/scans' })).json();
    expect(all).toEqual({
      Dinner: { category: 'meal', frequency: 1 },
      Lunch: { category: 'meal', frequency: 2 },
      'Opening ceremony': { category: 'ceremony', frequency: 1 },
    });
    expect(Object.keys((await t.app.inject({ method: 'GET', url: '/hackathon/scans?min_frequency=2' })).json())).toEqual(['Lunch']);
    expect(
      Object.keys((await t.app.inject({ method: 'GET', url: '/hackathon/scans?max_frequency=1&activity_category=meal' })).json()),
    ).toEqual(['Dinner']);
    expect((await t.app.inject({ method: 'GET', url: '/hackathon/scans?min_frequency=lots' })).statusCode).toBe(400);
  });

  it('refuses a scan that names a known activity with another category (409)', async () => {
    const a = await register(t.app);
    await t.app.inject({
      method: 'POST',
      url: '/hackathon/scans',
      payload: { participant_id: a, activity_name: 'Workshop: Rust', activity_category: 'workshop' },
    });
    const res = await t.app.inject({
      method: 'POST',
      url: '/hackathon/scans',
      payload: { participant_id: a, activity_name: 'Workshop: Rust', activity_category: 'meal' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toMatch(/category "workshop"/);
  });

  it('answers 404 for scans of an unknown or non-numeric participant and 400 for a missing field', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/hackathon/users/999999/scans' })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/hackathon/users/abc/scans' })).statusCode).toBe(404);
    const res = await t.app.inject({ method: 'POST', url: '/hackathon/scans', payload: { participant_id: 1, activity_name: 'X' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/activity_category/);
  });
});

describe('hardware', () => {
  it('lends an item, refuses to lend it again while out (any case), takes it back and lends it again', async () => {
    const a = await register(t.app);
    const b = await register(t.app);
    const signout = (participant_id: number, item: string) =>
      t.app.inject({ method: 'POST', url: '/hackathon/hardware/signout', payload: { participant_id, item } });
    const lent = await signout(a, 'Arduino #7');
    expect(lent.statusCode).toBe(201);
    expect(lent.json()).toEqual({ item: 'Arduino #7', participant_id: a, signed_out_at: clock.now().getTime() / 1000 });
    const again = await signout(b, 'arduino #7');
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toMatch(new RegExp(`to participant ${a}`));

    const out = (await t.app.inject({ method: 'GET', url: '/hackathon/hardware' })).json();
    expect(out).toEqual([{ item: 'Arduino #7', participant_id: a, signed_out_at: clock.now().getTime() / 1000 }]);

    clock.advance(3_600_000);
    const back = await t.app.inject({ method: 'POST', url: '/hackathon/hardware/return', payload: { item: 'ARDUINO #7' } });
    expect(back.statusCode).toBe(200);
    expect(back.json().returned_at).toBe(clock.now().getTime() / 1000);
    expect((await t.app.inject({ method: 'GET', url: '/hackathon/hardware' })).json()).toEqual([]);
    expect((await signout(b, 'Arduino #7')).statusCode).toBe(201);
  });

  it('answers 409 when returning an item that is not out and 404 when lending to an unknown participant', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/hackathon/hardware/return', payload: { item: 'Never lent' } });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('ITEM_NOT_OUT');
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/hackathon/hardware/signout',
      payload: { participant_id: 999_999, item: 'Cable' },
    });
    expect(unknown.statusCode).toBe(404);
    expect((await t.app.inject({ method: 'POST', url: '/hackathon/hardware/signout', payload: { item: 'Cable' } })).statusCode).toBe(400);
  });
});
