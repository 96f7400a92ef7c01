import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../test/harness.js';
import { hackathonService } from '../index.js';
import { ERROR_KEYS, getUser, person, register } from './fixtures.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp([hackathonService]);
});
afterAll(async () => {
  await t.close();
});

const PARTICIPANT_KEYS = ['bbt_tokens', 'checked_in', 'company', 'email', 'name', 'phone', 'skills'];

describe('POST /register', () => {
  it('creates a participant and answers 201 keyed by its new id with exactly the spec fields', async () => {
    const body = person({
      email: 'reg-one@example.com',
      skills: [
        { skill: 'Rust', rating: 4 },
        { skill: 'Go', rating: 2 },
      ],
    });
    const res = await t.app.inject({ method: 'POST', url: '/hackathon/register', payload: { ...body, bbt_tokens: 999, admin: true } });
    expect(res.statusCode).toBe(201);
    const map = res.json();
    const [id] = Object.keys(map);
    expect(id).toMatch(/^[0-9]+$/);
    const p = map[id as string];
    expect(Object.keys(p).sort()).toEqual(PARTICIPANT_KEYS);
    expect(p).toEqual({
      name: body.name,
      company: 'Acme',
      email: 'reg-one@example.com',
      phone: '+1-555-0100',
      checked_in: false,
      bbt_tokens: 0,
      skills: [
        { skill: 'Go', rating: 2 },
        { skill: 'Rust', rating: 4 },
      ],
    });
  });

  it('keeps the later rating of a skill listed twice', async () => {
    const id = await register(t.app, {
      skills: [
        { skill: 'Elm', rating: 1 },
        { skill: 'Elm', rating: 5 },
      ],
    });
    expect((await getUser(t.app, id)).skills).toEqual([{ skill: 'Elm', rating: 5 }]);
  });

  it('refuses an email already registered, in any case, with 409 and writes nothing', async () => {
    await register(t.app, { email: 'taken@example.com' });
    const before = Object.keys((await t.app.inject({ method: 'GET', url: '/hackathon/users' })).json()).length;
    const res = await t.app.inject({
      method: 'POST',
      url: '/hackathon/register',
      payload: person({ email: 'TAKEN@Example.com', skills: [{ skill: 'NeverSeenSkill', rating: 3 }] }),
    });
    expect(res.statusCode).toBe(409);
    expect(Object.keys(res.json()).sort()).toEqual(ERROR_KEYS);
    expect(res.json().message).toContain('TAKEN@Example.com');
    const after = Object.keys((await t.app.inject({ method: 'GET', url: '/hackathon/users' })).json()).length;
    expect(after).toBe(before);
    const skills = (await t.app.inject({ method: 'GET', url: '/hackathon/skills?keyword=neverseen' })).json();
    expect(skills).toEqual({});
  });

  it.each([
    ['a missing field', { name: 'X', company: 'Y', email: 'x@y.z', skills: [] }, /phone/],
    ['a rating above 5', person({ skills: [{ skill: 'Go', rating: 6 }] }), /rating/],
    ['a fractional rating', person({ skills: [{ skill: 'Go', rating: 2.5 }] }), /rating/],
    ['skills that are not a list', person({ skills: 'Go' }), /skills/],
    ['an email without @', person({ email: 'nope' }), /email/],
    ['a blank name', person({ name: '   ' }), /name/],
    ['a number where text belongs', person({ name: 123 }), /body\/name must be string/],
    ['a rating sent as text', person({ skills: [{ skill: 'Go', rating: '3' }] }), /rating must be integer/],
    ['a skill without a name', person({ skills: [{ rating: 3 }] }), /skill/],
  ])('answers 400 for %s', async (_what, payload, field) => {
    const res = await t.app.inject({ method: 'POST', url: '/hackathon/register', payload });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(field);
  });
});

describe('GET /users/{id}', () => {
  it('returns one participant keyed by id', async () => {
    const id = await register(t.app, { name: 'Grace Hopper' });
    const res = await t.app.inject({ method: 'GET', url: `/hackathon/users/${id}` });
    expect(res.statusCode).toBe(200);
    expect(Object.keys(res.json())).toEqual([String(id)]);
    expect(res.json()[id].name).toBe('Grace Hopper');
  });

  it.each(['999999', 'abc', '1.5', '-1', '0', '99999999999999999999'])('answers a JSON 404 for id %s', async (id) => {
    const res = await t.app.inject({ method: 'GET', url: `/hackathon/users/${id}` });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(Object.keys(res.json()).sort()).toEqual(ERROR_KEYS);
  });
});

describe('PUT /users/{id}', () => {
  it('updates only the given fields, adds new skills and re-rates listed ones, keeping the others', async () => {
    const id = await register(t.app, {
      company: 'Old Co',
      skills: [
        { skill: 'Go', rating: 3 },
        { skill: 'C', rating: 2 },
      ],
    });
    const res = await t.app.inject({
      method: 'PUT',
      url: `/hackathon/users/${id}`,
      payload: {
        company: 'New Co',
        skills: [
          { skill: 'Go', rating: 5 },
          { skill: 'Zig', rating: 1 },
        ],
        bbt_tokens: 1000,
        unknown: 1,
      },
    });
    expect(res.statusCode).toBe(200);
    const p = res.json()[id];
    expect(p.company).toBe('New Co');
    expect(p.bbt_tokens).toBe(0);
    expect(p.skills).toEqual([
      { skill: 'C', rating: 2 },
      { skill: 'Go', rating: 5 },
      { skill: 'Zig', rating: 1 },
    ]);
  });

  it('applies nothing when one rating is invalid (400)', async () => {
    const id = await register(t.app, { name: 'Unchanged', skills: [{ skill: 'Go', rating: 3 }] });
    const res = await t.app.inject({
      method: 'PUT',
      url: `/hackathon/users/${id}`,
      payload: {
        name: 'Changed',
        skills: [
          { skill: 'Go', rating: 4 },
          { skill: 'Rust', rating: 0 },
        ],
      },
    });
    expect(res.statusCode).toBe(400);
    const p = await getUser(t.app, id);
    expect(p.name).toBe('Unchanged');
    expect(p.skills).toEqual([{ skill: 'Go', rating: 3 }]);
  });

  it('answers 409 for an email another participant has, case-insensitively, and applies nothing', async () => {
    await register(t.app, { email: 'owner@example.com' });
    const id = await register(t.app, { name: 'Other', skills: [{ skill: 'Go', rating: 3 }] });
    const res = await t.app.inject({
      method: 'PUT',
      url: `/hackathon/users/${id}`,
      payload: { name: 'Renamed', email: 'Owner@Example.com', skills: [{ skill: 'Go', rating: 1 }] },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('EMAIL_TAKEN');
    const p = await getUser(t.app, id);
    expect(p.name).toBe('Other');
    expect(p.skills).toEqual([{ skill: 'Go', rating: 3 }]);
  });

  it('lets a participant change the case of their own email', async () => {
    const id = await register(t.app, { email: 'mixed@example.com' });
    const res = await t.app.inject({ method: 'PUT', url: `/hackathon/users/${id}`, payload: { email: 'Mixed@Example.com' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()[id].email).toBe('Mixed@Example.com');
  });

  it('answers 404 for an unknown or non-numeric id', async () => {
    expect((await t.app.inject({ method: 'PUT', url: '/hackathon/users/999999', payload: { name: 'x' } })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'PUT', url: '/hackathon/users/abc', payload: { name: 'x' } })).statusCode).toBe(404);
  });
});

describe('GET /users', () => {
  it('returns every participant keyed by id in id order, filters by check-in and pages by 50', async () => {
    const checked = await register(t.app);
    await t.app.inject({ method: 'POST', url: '/hackathon/checkin', payload: { participant_id: checked, volunteer_id: 7 } });
    for (let i = 0; i < 55; i++) await register(t.app);
    const all = (await t.app.inject({ method: 'GET', url: '/hackathon/users' })).json();
    const ids = Object.keys(all).map(Number);
    expect(ids.length).toBeGreaterThan(55);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));

    const page1 = (await t.app.inject({ method: 'GET', url: '/hackathon/users?page=1' })).json();
    const page2 = (await t.app.inject({ method: 'GET', url: '/hackathon/users?page=2' })).json();
    expect(Object.keys(page1)).toEqual(ids.slice(0, 50).map(String));
    expect(Object.keys(page2)).toEqual(ids.slice(50, 100).map(String));
    expect((await t.app.inject({ method: 'GET', url: '/hackathon/users?page=999' })).json()).toEqual({});

    const yes = (await t.app.inject({ method: 'GET', url: '/hackathon/users?checked_in=true' })).json();
    expect(Object.keys(yes)).toEqual([String(checked)]);
    expect(yes[checked].checked_in).toBe(true);
    const no = (await t.app.inject({ method: 'GET', url: '/hackathon/users?checked_in=false' })).json();
    expect(Object.keys(no)).toHaveLength(ids.length - 1);
  });

  it.each(['page=0', 'page=abc', 'page=1.5', 'page=-2', 'checked_in=maybe'])('answers 400 for %s', async (query) => {
    const res = await t.app.inject({ method: 'GET', url: `/hackathon/users?${query}` });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(res.json()).sort()).toEqual(ERROR_KEYS);
  });
});

describe('the service surface', () => {
  it('documents every route in OpenAPI with the admin bearer scheme', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json();
    for (const path of [
      '/hackathon/users',
      '/hackathon/users/{id}',
      '/hackathon/register',
      '/hackathon/skills',
      '/hackathon/checkin',
      '/hackathon/boba_info',
      '/hackathon/boba',
      '/hackathon/bbt_token_exchange',
      '/hackathon/bbt_token_admin_give',
      '/hackathon/scans',
      '/hackathon/users/{id}/scans',
      '/hackathon/hardware/signout',
      '/hackathon/hardware/return',
      '/hackathon/hardware',
    ]) {
      expect(doc.paths[path], path).toBeDefined();
    }
    expect(doc.components.securitySchemes.hackathonAdmin).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('answers unknown routes and malformed JSON under the prefix with the JSON error shape', async () => {
    const unknown = await t.app.inject({ method: 'GET', url: '/hackathon/nothing-here' });
    expect(unknown.statusCode).toBe(404);
    expect(Object.keys(unknown.json()).sort()).toEqual(ERROR_KEYS);
    const malformed = await t.app.inject({
      method: 'POST',
      url: '/hackathon/register',
      headers: { 'content-type': 'application/json' },
      payload: '{"name":',
    });
    expect(malformed.statusCode).toBe(400);
    expect(Object.keys(malformed.json()).sort()).toEqual(ERROR_KEYS);
  });
});
