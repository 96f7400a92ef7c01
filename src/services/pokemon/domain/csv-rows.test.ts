import { describe, expect, it } from 'vitest';
import { checkHeader, parsePokemonRow, parseTrainerRow } from './csv-rows.js';

describe('CSV rows', () => {
  it('accepts the exact header and explains a wrong one', () => {
    expect(checkHeader('trainers', ['id', 'firstName', 'lastName', 'dateOfBirth'])).toBeUndefined();
    expect(checkHeader('pokemon', ['id', 'firstName', 'lastName', 'dateOfBirth'])).toMatch(
      /must be exactly "id,nickname,species,level,owner,dateOfOwnership"/,
    );
  });

  it('parses a valid trainer row, converting the date to ISO', () => {
    expect(parseTrainerRow(['trainer1', 'ash', 'catchem', '22-05-1987'], 2)).toEqual({
      value: { id: 'trainer1', firstName: 'ash', lastName: 'catchem', dateOfBirth: '1987-05-22' },
      errors: [],
    });
  });

  it('lists every bad cell of a trainer row with its column', () => {
    const { value, errors } = parseTrainerRow(['bad id', '', 'x', '31-02-2000'], 7);
    expect(value).toBeUndefined();
    expect(errors).toEqual([
      { row: 7, column: 'id', reason: expect.stringMatching(/not a valid id/) },
      { row: 7, column: 'firstName', reason: 'firstName is required' },
      { row: 7, column: 'dateOfBirth', reason: expect.stringMatching(/"31-02-2000" is not a real date/) },
    ]);
  });

  it('reports a wrong column count once for the whole row', () => {
    expect(parsePokemonRow(['p1', 'nick'], 3).errors).toEqual([{ row: 3, reason: expect.stringMatching(/expected 6 columns/) }]);
  });

  it('rejects levels outside 1–100 and non-integers', () => {
    for (const level of ['0', '101', '1.5', '-1', 'ten']) {
      const { errors } = parsePokemonRow(['p1', 'n', 's', level, 'trainer1', '01-01-2000'], 2);
      expect(errors).toEqual([{ row: 2, column: 'level', reason: expect.stringMatching(/from 1 to 100/) }]);
    }
    expect(parsePokemonRow(['p1', 'n', 's', '100', 'trainer1', '01-01-2000'], 2).value?.level).toBe(100);
    expect(parsePokemonRow(['p1', 'n', 's', '1', 'trainer1', '01-01-2000'], 2).value?.level).toBe(1);
  });
});
