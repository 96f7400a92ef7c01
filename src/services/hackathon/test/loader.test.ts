import { existsSync, readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../test/harness.js';
import { generateParticipants } from '../domain/generator.js';
import { createHackathonDeps, hackathonService } from '../index.js';
import { LoadError, loadParticipants, runSeedCommand } from '../loader.js';

// The public challenge file lives next to the repository (../shared/…); a fresh clone may not have it.
const CHALLENGE_FILE = fileURLToPath(new URL('../../../../../shared/data/hackathon/participants.json', import.meta.url));
const hasChallengeFile = existsSync(CHALLENGE_FILE);
if (!hasChallengeFile) console.info(`hackathon loader: ${CHALLENGE_FILE} not found; the challenge-file test is skipped.`);

function capture() {
  let text = '';
  const out = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  });
  return { out, text: () => text };
}

async function countUsers(t: TestApp): Promise<number> {
  return Object.keys((await t.app.inject({ method: 'GET', url: '/hackathon/users' })).json()).length;
}

describe.runIf(hasChallengeFile)('guildhall seed hackathon --file <the challenge file>', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp([hackathonService]);
  });
  afterAll(async () => {
    await t.close();
  });

  it('loads 1,000 records as 996 participants, reporting the 4 duplicate emails, merging repeated skills', async () => {
    const records = JSON.parse(readFileSync(CHALLENGE_FILE, 'utf8')) as Array<{
      email: string;
      skills: Array<{ skill: string; rating: number }>;
    }>;
    const { out, text } = capture();
    await hackathonService.seed?.({ platform: t.platform, args: ['--file', CHALLENGE_FILE], out });
    expect(text()).toMatch(/1000 records, 996 participants loaded/);
    expect(text().match(/duplicate email: record #\d+ already has it/g)).toHaveLength(4);
    expect(await countUsers(t)).toBe(996);

    // A record listing a skill twice is stored once, with its later rating.
    const withRepeat = records.find((r) => new Set(r.skills.map((s) => s.skill)).size < r.skills.length);
    expect(withRepeat).toBeDefined();
    if (!withRepeat) return;
    const users = (await t.app.inject({ method: 'GET', url: '/hackathon/users' })).json() as Record<
      string,
      { email: string; skills: unknown[] }
    >;
    const stored = Object.values(users).find((u) => u.email === withRepeat.email);
    const expected = new Map(withRepeat.skills.map((s) => [s.skill, s.rating]));
    expect(stored?.skills).toHaveLength(expected.size);
    for (const [skill, rating] of expected) expect(stored?.skills).toContainEqual({ skill, rating });
  });
});

describe('the loader', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp([hackathonService]);
  });
  afterAll(async () => {
    await t.close();
  });

  it('seeds generated data without --file, deterministically, with progress on stderr', async () => {
    const { out, text } = capture();
    const progress = capture();
    const { store, skillsCache } = createHackathonDeps(t.platform);
    await runSeedCommand({ platform: t.platform, args: ['--count', '1200', '--seed', 's1'], out }, store, skillsCache, progress.out);
    const expectedSkips = generateParticipants({ count: 1200, seed: 's1' }).length - (await countUsers(t));
    expect(text()).toMatch(new RegExp(`1200 records, ${1200 - expectedSkips} participants loaded`));
    expect(text()).toMatch(/duplicate email/);
    expect(progress.text()).toMatch(/hackathon seed: 1\d{3}\/1\d{3} participants/);
  });

  it('skips emails that are already registered when loading again, and reports why', async () => {
    const before = await countUsers(t);
    const { out, text } = capture();
    await hackathonService.seed?.({ platform: t.platform, args: ['--count', '1200', '--seed', 's1'], out });
    expect(await countUsers(t)).toBe(before);
    expect(text()).toMatch(/ 0 participants loaded/);
    expect(text()).toMatch(/email already registered/);
  });

  it('refuses a file with an invalid record and loads nothing of it', async () => {
    const before = await countUsers(t);
    const { store, skillsCache } = createHackathonDeps(t.platform);
    const input = [...generateParticipants({ count: 5, seed: 'bad' }), { name: 'No email', company: 'x', phone: '1', skills: [] }];
    await expect(loadParticipants(store, skillsCache, input)).rejects.toThrow(LoadError);
    await expect(loadParticipants(store, skillsCache, input)).rejects.toThrow(/record #6: field "email"/);
    expect(await countUsers(t)).toBe(before);
  });

  it('rolls everything back when the database fails part-way', async () => {
    const before = await countUsers(t);
    const { store, skillsCache } = createHackathonDeps(t.platform);
    const failing = {
      ...store,
      upsertRatings: async () => {
        throw new Error('simulated failure after participants were inserted');
      },
    };
    await expect(loadParticipants(failing, skillsCache, generateParticipants({ count: 700, seed: 'atomic' }))).rejects.toThrow(/simulated/);
    expect(await countUsers(t)).toBe(before);
  });

  it('invalidates the cached skill statistics after a load', async () => {
    const { store, skillsCache } = createHackathonDeps(t.platform);
    expect((await t.app.inject({ method: 'GET', url: '/hackathon/skills?keyword=brainfuck' })).json()).toEqual({});
    const record = { name: 'B F', company: 'x', email: 'bf@example.com', phone: '1', skills: [{ skill: 'Brainfuck', rating: 5 }] };
    await loadParticipants(store, skillsCache, [record]);
    expect((await t.app.inject({ method: 'GET', url: '/hackathon/skills?keyword=brainfuck' })).json()).toEqual({
      Brainfuck: { frequency: 1, average_rating: 5 },
    });
  });

  it('rejects unknown options and unreadable files with a clear message', async () => {
    const { out } = capture();
    await expect(hackathonService.seed?.({ platform: t.platform, args: ['--bogus'], out })).rejects.toThrow(/unknown option --bogus/);
    await expect(hackathonService.seed?.({ platform: t.platform, args: ['--file', '/nonexistent.json'], out })).rejects.toThrow(
      /cannot read/,
    );
  });
});

describe('demo data on start', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp([hackathonService]);
  });
  afterAll(async () => {
    await t.close();
  });

  it('loads about a thousand generated participants into an empty database, and nothing once there is data', async () => {
    await hackathonService.seedDemo?.(t.platform);
    const n = await countUsers(t);
    expect(n).toBeGreaterThan(980);
    expect(n).toBeLessThanOrEqual(1000);
    await hackathonService.seedDemo?.(t.platform);
    expect(await countUsers(t)).toBe(n);
  });
});
