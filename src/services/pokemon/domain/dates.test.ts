import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoDay, parseCsvDate, parseIsoDate, toCsvDate } from './dates.js';

describe('dates', () => {
  it('accepts real CSV dates and converts them to ISO', () => {
    expect(parseCsvDate('22-05-1987')).toBe('1987-05-22');
    expect(parseCsvDate('29-02-2000')).toBe('2000-02-29');
  });

  it('rejects impossible or malformed CSV dates', () => {
    for (const bad of ['31-02-2000', '29-02-1900', '00-01-2000', '01-13-2000', '1987-05-22', '2-5-1987', '', '22/05/1987']) {
      expect(parseCsvDate(bad)).toBeUndefined();
    }
  });

  it('accepts real ISO dates and rejects impossible ones', () => {
    expect(parseIsoDate('2024-02-29')).toBe('2024-02-29');
    expect(parseIsoDate('2023-02-29')).toBeUndefined();
    expect(parseIsoDate('2023-04-31')).toBeUndefined();
    expect(parseIsoDate('22-05-1987')).toBeUndefined();
  });

  it('round-trips every real day between CSV and ISO', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1900-01-01'), max: new Date('2999-12-31'), noInvalidDate: true }), (d) => {
        const day = isoDay(d);
        expect(parseIsoDate(day)).toBe(day);
        expect(parseCsvDate(toCsvDate(day))).toBe(day);
      }),
    );
  });
});
