import { parseCsvDate } from './dates.js';
import { ID_RULE, isValidId, LEVEL_MAX, LEVEL_MIN, NAME_MAX } from './rules.js';

/** One problem with one cell (or the whole row when `column` is undefined) of an imported file. */
export interface RowError {
  /** Line number in the file; the header is line 1. */
  row: number;
  column?: string;
  reason: string;
}

export type ImportType = 'trainers' | 'pokemon';

export const CSV_HEADERS: Record<ImportType, readonly string[]> = {
  trainers: ['id', 'firstName', 'lastName', 'dateOfBirth'],
  pokemon: ['id', 'nickname', 'species', 'level', 'owner', 'dateOfOwnership'],
};

export interface TrainerRow {
  id: string;
  firstName: string;
  lastName: string;
  dateOfBirth: string;
}

export interface PokemonRow {
  id: string;
  nickname: string;
  species: string;
  level: number;
  owner: string;
  dateOfOwnership: string;
}

/** An error message for a header line, or undefined when it is exactly the expected one. */
export function checkHeader(type: ImportType, header: readonly string[]): string | undefined {
  const expected = CSV_HEADERS[type];
  const got = header.map((h) => h.trim());
  if (got.length === expected.length && got.every((h, i) => h === expected[i])) return undefined;
  return `The header of a ${type} file must be exactly "${expected.join(',')}" (got "${got.join(',')}").`;
}

function required(cells: Map<string, string>, column: string, row: number, errors: RowError[]): string {
  const value = (cells.get(column) ?? '').trim();
  if (value === '') errors.push({ row, column, reason: `${column} is required` });
  return value;
}

function text(cells: Map<string, string>, column: string, row: number, errors: RowError[]): string {
  const value = required(cells, column, row, errors);
  if (value.length > NAME_MAX) errors.push({ row, column, reason: `${column} is longer than ${NAME_MAX} characters` });
  return value;
}

function id(cells: Map<string, string>, column: string, row: number, errors: RowError[]): string {
  const value = required(cells, column, row, errors);
  if (value !== '' && !isValidId(value)) errors.push({ row, column, reason: `"${value}" is not a valid id: ${ID_RULE}` });
  return value;
}

function csvDate(cells: Map<string, string>, column: string, row: number, errors: RowError[]): string {
  const value = required(cells, column, row, errors);
  if (value === '') return '';
  const parsed = parseCsvDate(value);
  if (parsed === undefined) errors.push({ row, column, reason: `"${value}" is not a real date in the form DD-MM-YYYY` });
  return parsed ?? '';
}

function cellsOf(type: ImportType, record: readonly string[], row: number, errors: RowError[]): Map<string, string> | undefined {
  const expected = CSV_HEADERS[type];
  if (record.length !== expected.length) {
    errors.push({ row, reason: `expected ${expected.length} columns (${expected.join(',')}), got ${record.length}` });
    return undefined;
  }
  return new Map(expected.map((column, i) => [column, record[i] ?? '']));
}

/** Validates one data row of a trainers file; `row` is its line number. */
export function parseTrainerRow(record: readonly string[], row: number): { value?: TrainerRow; errors: RowError[] } {
  const errors: RowError[] = [];
  const cells = cellsOf('trainers', record, row, errors);
  if (!cells) return { errors };
  const value = {
    id: id(cells, 'id', row, errors),
    firstName: text(cells, 'firstName', row, errors),
    lastName: text(cells, 'lastName', row, errors),
    dateOfBirth: csvDate(cells, 'dateOfBirth', row, errors),
  };
  return errors.length > 0 ? { errors } : { value, errors };
}

/** Validates one data row of a pokemon file; `row` is its line number. */
export function parsePokemonRow(record: readonly string[], row: number): { value?: PokemonRow; errors: RowError[] } {
  const errors: RowError[] = [];
  const cells = cellsOf('pokemon', record, row, errors);
  if (!cells) return { errors };
  const rawLevel = required(cells, 'level', row, errors);
  let level = Number.NaN;
  if (rawLevel !== '') {
    level = /^\d{1,3}$/.test(rawLevel) ? Number(rawLevel) : Number.NaN;
    if (!(level >= LEVEL_MIN && level <= LEVEL_MAX)) {
      errors.push({ row, column: 'level', reason: `level must be a whole number from ${LEVEL_MIN} to ${LEVEL_MAX} (got "${rawLevel}")` });
    }
  }
  const value = {
    id: id(cells, 'id', row, errors),
    nickname: text(cells, 'nickname', row, errors),
    species: text(cells, 'species', row, errors),
    level,
    owner: id(cells, 'owner', row, errors),
    dateOfOwnership: csvDate(cells, 'dateOfOwnership', row, errors),
  };
  return errors.length > 0 ? { errors } : { value, errors };
}

/** The row's id when it has a usable one (for duplicate checks even on rows with other errors). */
export function rowId(record: readonly string[]): string | undefined {
  const value = (record[0] ?? '').trim();
  return value !== '' && isValidId(value) ? value : undefined;
}
