/** Field rules shared by the JSON API and the CSV import. */

/** Ids are chosen by the data ("trainer1", "pikachu2"): short, URL-safe, no spaces. */
export const ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$';
const ID = new RegExp(ID_PATTERN);
export const NAME_MAX = 100;
export const LEVEL_MIN = 1;
export const LEVEL_MAX = 100;

export function isValidId(value: string): boolean {
  return ID.test(value);
}

export const ID_RULE = 'use 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit';
