import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../test/harness.js';
import { pokemonService } from '../index.js';
import { SAMPLE_DIR } from '../seed.js';
import { createPokemon, createTrainer, postCsv } from './fixtures.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp([pokemonService], { env: { UPLOAD_LIMIT_BYTES: '65536' } });
  await createTrainer(t.app, 'imp-owner');
});
afterAll(async () => {
  await t.close();
});

const TRAINER_HEADER = 'id,firstName,lastName,dateOfBirth';
const POKEMON_HEADER = 'id,nickname,species,level,owner,dateOfOwnership';
const status = async (url: string) => (await t.app.inject({ method: 'GET', url })).statusCode;

describe('imports', () => {
  it('imports trainers then their pokemon, converting DD-MM-YYYY dates, and reports counts', async () => {
    const trainers = await postCsv(
      t.app,
      'trainers',
      `${TRAINER_HEADER}\r\nimp1,Ash,Ketchum,22-05-1987\r\nimp2,"Misty, W",Water,29-02-2000\r\n`,
    );
    expect(trainers.statusCode, trainers.body).toBe(201);
    expect(trainers.json()).toEqual({ inserted: 2, updated: 0 });
    const misty = (await t.app.inject({ method: 'GET', url: '/pokemon/trainers/imp2' })).json();
    expect(misty).toMatchObject({ firstName: 'Misty, W', dateOfBirth: '2000-02-29' });
    const pokemon = await postCsv(
      t.app,
      'pokemon',
      `${POKEMON_HEADER}\nimp-p1,Pika,pikachu,95,imp1,01-03-1997\nimp-p2,Star,staryu,1,imp-owner,02-03-1998`,
    );
    expect(pokemon.statusCode, pokemon.body).toBe(201);
    expect(pokemon.json()).toEqual({ inserted: 2, updated: 0 });
    const p1 = (await t.app.inject({ method: 'GET', url: '/pokemon/pokemon/imp-p1' })).json();
    expect(p1).toMatchObject({
      owner: 'imp1',
      level: 95,
      dateOfOwnership: '1997-03-01',
      history: [{ trainerId: 'imp1', from: '1997-03-01', to: null }],
    });
  });

  it('rejects a file with bad rows listing every problem (row, column, reason) and writes nothing', async () => {
    await createTrainer(t.app, 'taken');
    const csv = [
      TRAINER_HEADER,
      'good1,A,B,01-01-2000',
      'bad-date,A,B,31-02-2000',
      'good2,A,B,01-01-2000',
      'missing,,B,01-01-2000',
      'short,A,B',
      'good1,A,B,01-01-2000',
      'taken,A,B,01-01-2000',
      'iso,A,B,2000-01-01',
    ].join('\n');
    const res = await postCsv(t.app, 'trainers', csv);
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body).toMatchObject({ statusCode: 400, code: 'INVALID_ROWS', errorCount: 6 });
    expect(body.message).toMatch(/nothing was written/);
    expect(body.errors).toEqual([
      { row: 3, column: 'dateOfBirth', reason: expect.stringMatching(/31-02-2000/) },
      { row: 5, column: 'firstName', reason: 'firstName is required' },
      { row: 6, reason: expect.stringMatching(/expected 4 columns/) },
      { row: 7, column: 'id', reason: expect.stringMatching(/already appears on line 2/) },
      { row: 8, column: 'id', reason: expect.stringMatching(/already exists; import with mode=upsert/) },
      { row: 9, column: 'dateOfBirth', reason: expect.stringMatching(/DD-MM-YYYY/) },
    ]);
    expect(await status('/pokemon/trainers/good1')).toBe(404);
    expect(await status('/pokemon/trainers/good2')).toBe(404);
  });

  it('rejects pokemon with levels 0 or 101 and unknown owners, writing none of the file', async () => {
    const csv = [
      POKEMON_HEADER,
      'ok1,n,s,50,imp-owner,01-01-2000',
      'lvl0,n,s,0,imp-owner,01-01-2000',
      'lvl101,n,s,101,imp-owner,01-01-2000',
      'orphan,n,s,5,nobody,01-01-2000',
    ].join('\n');
    const res = await postCsv(t.app, 'pokemon', csv);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([
      { row: 3, column: 'level', reason: expect.stringMatching(/from 1 to 100/) },
      { row: 4, column: 'level', reason: expect.stringMatching(/from 1 to 100/) },
      { row: 5, column: 'owner', reason: expect.stringMatching(/"nobody" is not a known trainer/) },
    ]);
    expect(await status('/pokemon/pokemon/ok1')).toBe(404);
  });

  it('upserts: updates existing rows, inserts new ones, and records an owner change in the history', async () => {
    await createTrainer(t.app, 'up-a');
    await createTrainer(t.app, 'up-b');
    await createPokemon(t.app, 'up-p', 'up-a', { dateOfOwnership: '2020-01-01' });
    expect((await t.app.inject({ method: 'GET', url: '/pokemon/pokemon/up-p' })).json().owner).toBe('up-a');
    const insertMode = await postCsv(t.app, 'pokemon', `${POKEMON_HEADER}\nup-p,New,raichu,60,up-b,05-05-2024`);
    expect(insertMode.statusCode).toBe(400);
    const res = await postCsv(
      t.app,
      'pokemon',
      `${POKEMON_HEADER}\nup-p,New,raichu,60,up-b,05-05-2024\nup-q,Q,eevee,3,up-b,05-05-2024`,
      'upsert',
    );
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toEqual({ inserted: 1, updated: 1 });
    const p = (await t.app.inject({ method: 'GET', url: '/pokemon/pokemon/up-p' })).json();
    expect(p).toMatchObject({ nickname: 'New', species: 'raichu', level: 60, owner: 'up-b', dateOfOwnership: '2024-05-05' });
    expect(p.history).toEqual([
      { trainerId: 'up-a', from: '2020-01-01', to: '2024-05-05' },
      { trainerId: 'up-b', from: '2024-05-05', to: null },
    ]);
    const b = (await t.app.inject({ method: 'GET', url: '/pokemon/trainers/up-b' })).json();
    expect(b.pokemon.map((x: { id: string }) => x.id)).toEqual(['up-p', 'up-q']);
    const trainers = await postCsv(t.app, 'trainers', `${TRAINER_HEADER}\nup-a,Renamed,X,01-01-1999`, 'upsert');
    expect(trainers.json()).toEqual({ inserted: 0, updated: 1 });
    expect((await t.app.inject({ method: 'GET', url: '/pokemon/trainers/up-a' })).json().firstName).toBe('Renamed');
  });

  it('refuses an upsert dated before the ownership it would follow, writing none of the file', async () => {
    await createTrainer(t.app, 'back-a');
    await createTrainer(t.app, 'back-b');
    await createPokemon(t.app, 'back-p', 'back-a', { dateOfOwnership: '2020-01-01' });
    // A new owner since before the current one got it.
    const early = await postCsv(
      t.app,
      'pokemon',
      `${POKEMON_HEADER}\nback-q,Q,eevee,3,back-b,01-01-2019\nback-p,P,mew,5,back-b,31-12-2019`,
      'upsert',
    );
    expect(early.statusCode).toBe(400);
    expect(early.json().errors).toEqual([
      {
        row: 3,
        column: 'dateOfOwnership',
        reason: expect.stringMatching(/31-12-2019 is before 01-01-2020, when "back-a" became its owner.*use 01-01-2020 or later/),
      },
    ]);
    expect(await status('/pokemon/pokemon/back-q')).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/pokemon/pokemon/back-p' })).json().history).toEqual([
      { trainerId: 'back-a', from: '2020-01-01', to: null },
    ]);

    expect((await postCsv(t.app, 'pokemon', `${POKEMON_HEADER}\nback-p,P,mew,5,back-b,01-06-2021`, 'upsert')).statusCode).toBe(201);
    // The same owner since before the previous one let go; since that very day is fine.
    const same = await postCsv(t.app, 'pokemon', `${POKEMON_HEADER}\nback-p,P,mew,6,back-b,31-05-2021`, 'upsert');
    expect(same.statusCode).toBe(400);
    expect(same.json().errors).toEqual([
      {
        row: 2,
        column: 'dateOfOwnership',
        reason: expect.stringMatching(/31-05-2021 is before 01-06-2021, when "back-a" stopped owning it/),
      },
    ]);
    expect((await postCsv(t.app, 'pokemon', `${POKEMON_HEADER}\nback-p,P,mew,7,back-b,01-06-2021`, 'upsert')).statusCode).toBe(201);
    const p = (await t.app.inject({ method: 'GET', url: '/pokemon/pokemon/back-p' })).json();
    expect(p.level).toBe(7);
    expect(p.history).toEqual([
      { trainerId: 'back-a', from: '2020-01-01', to: '2021-06-01' },
      { trainerId: 'back-b', from: '2021-06-01', to: null },
    ]);
  });

  it('rejects wrong headers, empty files and header-only files with 400', async () => {
    const wrong = await postCsv(t.app, 'pokemon', `${TRAINER_HEADER}\nx,a,b,01-01-2000`);
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({
      code: 'INVALID_HEADER',
      message: expect.stringMatching(/id,nickname,species,level,owner,dateOfOwnership/),
    });
    const empty = await postCsv(t.app, 'trainers', '');
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({ code: 'EMPTY_FILE' });
    expect((await postCsv(t.app, 'trainers', '\n\n')).json()).toMatchObject({ code: 'EMPTY_FILE' });
    expect((await postCsv(t.app, 'trainers', `${TRAINER_HEADER}\n`)).json()).toMatchObject({ code: 'EMPTY_FILE' });
  });

  it('rejects files in the wrong encoding with a clear message and writes nothing', async () => {
    const utf16 = await postCsv(t.app, 'trainers', Buffer.from(`\ufeff${TRAINER_HEADER}\nenc1,A,B,01-01-2000`, 'utf16le'));
    expect(utf16.statusCode).toBe(415);
    expect(utf16.json().message).toMatch(/not UTF-8.*UTF-16/);
    const latin1 = await postCsv(t.app, 'trainers', Buffer.from(`${TRAINER_HEADER}\nenc2,Zo\xe9,B,01-01-2000`, 'latin1'));
    expect(latin1.statusCode).toBe(400);
    expect(latin1.json()).toMatchObject({ code: 'INVALID_ENCODING' });
    const charset = await t.app.inject({
      method: 'POST',
      url: '/pokemon/imports?type=trainers',
      headers: { 'content-type': 'text/csv; charset=iso-8859-1' },
      payload: `${TRAINER_HEADER}\nenc3,A,B,01-01-2000`,
    });
    expect(charset.statusCode).toBe(415);
    expect(await status('/pokemon/trainers/enc1')).toBe(404);
    expect(await status('/pokemon/trainers/enc2')).toBe(404);
  });

  it('accepts a UTF-8 BOM and quoted fields; rejects malformed CSV with the line', async () => {
    const bom = await postCsv(t.app, 'trainers', `\ufeff${TRAINER_HEADER}\nbom1,"Zoé",B,01-01-2000`);
    expect(bom.statusCode, bom.body).toBe(201);
    expect((await t.app.inject({ method: 'GET', url: '/pokemon/trainers/bom1' })).json().firstName).toBe('Zoé');
    const broken = await postCsv(t.app, 'trainers', `${TRAINER_HEADER}\nq1,A,B,01-01-2000\nq2,"unterminated,B,01-01-2000\n`);
    expect(broken.statusCode).toBe(400);
    expect(broken.json().errors[0].reason).toMatch(/not well-formed CSV/);
    expect(await status('/pokemon/trainers/q1')).toBe(404);
  });

  it('refuses other content types with 415 and files over UPLOAD_LIMIT_BYTES with 413', async () => {
    const json = await t.app.inject({ method: 'POST', url: '/pokemon/imports?type=trainers', payload: { a: 1 } });
    expect(json.statusCode).toBe(415);
    const rows = Array.from({ length: 3000 }, (_, i) => `big${i},A,B,01-01-2000`).join('\n');
    const big = await postCsv(t.app, 'trainers', `${TRAINER_HEADER}\n${rows}`);
    expect(big.statusCode).toBe(413);
    expect(await status('/pokemon/trainers/big0')).toBe(404);
    expect(await postCsv(t.app, 'trainers', `${TRAINER_HEADER}\nz,A,B,01-01-2000`).then((r) => r.statusCode)).toBe(201);
  });

  it('accepts the file as a multipart upload', async () => {
    const boundary = '----pokemonboundary';
    const payload = [
      `--${boundary}`,
      'Content-Disposition: form-data; name="file"; filename="trainers.csv"',
      'Content-Type: text/csv',
      '',
      `${TRAINER_HEADER}\nmp1,A,B,01-01-2000\nmp2,C,D,02-02-2002`,
      `--${boundary}--`,
      '',
    ].join('\r\n');
    const res = await t.app.inject({
      method: 'POST',
      url: '/pokemon/imports?type=trainers',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toEqual({ inserted: 2, updated: 0 });
    expect(await status('/pokemon/trainers/mp2')).toBe(200);
  });

  it('refuses a multipart file over UPLOAD_LIMIT_BYTES with 413 instead of importing a truncated file', async () => {
    const boundary = '----pokemonboundary';
    const rows = Array.from({ length: 3000 }, (_, i) => `mbig${i},A,B,01-01-2000`).join('\n');
    const payload = [
      `--${boundary}`,
      'Content-Disposition: form-data; name="file"; filename="trainers.csv"',
      'Content-Type: text/csv',
      '',
      `${TRAINER_HEADER}\n${rows}`,
      `--${boundary}--`,
      '',
    ].join('\r\n');
    const res = await t.app.inject({
      method: 'POST',
      url: '/pokemon/imports?type=trainers',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    });
    expect(res.statusCode, res.body).toBe(413);
    expect(await status('/pokemon/trainers/mbig0')).toBe(404);
  });

  it('caps the listed problems at 1,000 while counting all of them', async () => {
    const rows = Array.from({ length: 1500 }, (_, i) => `cap${i},A,B,32-01-2000`).join('\n');
    const res = await postCsv(t.app, 'trainers', `${TRAINER_HEADER}\n${rows}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().errorCount).toBe(1500);
    expect(res.json().errors).toHaveLength(1000);
    expect(res.json().errors[0].row).toBe(2);
  });

  it('rejects unknown type or mode with 400', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/pokemon/imports?type=badges',
      headers: { 'content-type': 'text/csv' },
      payload: 'x',
    });
    expect(res.statusCode).toBe(400);
  });
});

describe.runIf(existsSync(resolve(SAMPLE_DIR, 'trainers.csv')))(`the sample files in ${SAMPLE_DIR}`, () => {
  it('load cleanly: trainers first, then pokemon', async () => {
    const trainers = await postCsv(t.app, 'trainers', readFileSync(resolve(SAMPLE_DIR, 'trainers.csv')));
    expect(trainers.statusCode, trainers.body).toBe(201);
    expect(trainers.json()).toEqual({ inserted: 20, updated: 0 });
    const pokemon = await postCsv(t.app, 'pokemon', readFileSync(resolve(SAMPLE_DIR, 'pokemon.csv')));
    expect(pokemon.statusCode, pokemon.body).toBe(201);
    expect(pokemon.json()).toEqual({ inserted: 12, updated: 0 });
    expect((await t.app.inject({ method: 'GET', url: '/pokemon/pokemon/pikachu1' })).json()).toMatchObject({
      owner: 'trainer1',
      level: 95,
      dateOfOwnership: '1997-03-01',
    });
  });
});

describe.runIf(!existsSync(resolve(SAMPLE_DIR, 'trainers.csv')))('the sample files', () => {
  it(`are skipped: ${SAMPLE_DIR} is absent in this checkout`, () => {
    expect(existsSync(SAMPLE_DIR)).toBe(false);
  });
});
