import { describe, expect, it } from 'vitest';
import { generateParticipants } from './generator.js';
import { mergeSkills, prepareRecords } from './records.js';

const record = (email: string, skills = [{ skill: 'Go', rating: 3 }]) => ({ name: 'A B', company: 'C', email, phone: '1', skills });

describe('preparing participant records', () => {
  it('keeps the first record of an email, compared case-insensitively, and reports the rest', () => {
    const prepared = prepareRecords([record('a@x.io'), record('b@x.io'), record('A@X.io')]);
    expect(prepared.accepted.map((r) => r.email)).toEqual(['a@x.io', 'b@x.io']);
    expect(prepared.skipped).toEqual([{ index: 2, email: 'A@X.io', reason: 'duplicate email: record #1 already has it' }]);
  });

  it('merges a skill listed twice, keeping the later rating', () => {
    expect(
      mergeSkills([
        { skill: 'Go', rating: 1 },
        { skill: 'Rust', rating: 2 },
        { skill: 'Go', rating: 5 },
      ]),
    ).toEqual([
      { skill: 'Go', rating: 5 },
      { skill: 'Rust', rating: 2 },
    ]);
    const prepared = prepareRecords([
      record('a@x.io', [
        { skill: 'Go', rating: 1 },
        { skill: 'Go', rating: 4 },
      ]),
    ]);
    expect(prepared.mergedSkillRecords).toBe(1);
    expect(prepared.accepted[0]?.skills).toEqual([{ skill: 'Go', rating: 4 }]);
  });

  it('collects every invalid record with its position instead of loading part of the file', () => {
    const prepared = prepareRecords([record('a@x.io'), { name: 'x' }, record('b@x.io', [{ skill: 'Go', rating: 7 }])]);
    expect(prepared.invalid).toEqual([
      'record #2: field "company" is missing or not a non-empty string',
      'record #3: skills[0].rating must be an integer from 1 to 5',
    ]);
    expect(prepareRecords({}).invalid).toHaveLength(1);
  });
});

describe('the demo data generator', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    expect(generateParticipants({ count: 50, seed: 1 })).toEqual(generateParticipants({ count: 50, seed: 1 }));
    expect(generateParticipants({ count: 50, seed: 1 })).not.toEqual(generateParticipants({ count: 50, seed: 2 }));
  });

  it('has the challenge file’s shape and statistics', () => {
    const records = generateParticipants({ count: 1000 });
    const prepared = prepareRecords(records);
    expect(prepared.invalid).toEqual([]);
    expect(prepared.skipped.length).toBeGreaterThan(0);
    expect(prepared.skipped.length).toBeLessThan(15);
    expect(prepared.mergedSkillRecords).toBeGreaterThan(5);
    const perHacker = prepared.accepted.map((r) => r.skills.length);
    expect(Math.min(...perHacker)).toBe(2);
    expect(Math.max(...perHacker)).toBe(4);
    expect(new Set(prepared.accepted.flatMap((r) => r.skills.map((s) => s.skill))).size).toBeGreaterThan(80);
  });
});
