/** Calendar dates as the API speaks them: ISO `YYYY-MM-DD` in JSON, `DD-MM-YYYY` in CSV files. */

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const CSV = /^(\d{2})-(\d{2})-(\d{4})$/;

function isRealDate(year: number, month: number, day: number): boolean {
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  // Day 0 of the next month is the last day of this one (leap years included).
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= lastDay;
}

function iso(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** `YYYY-MM-DD` → the same string when it names a real day, else undefined (2000-02-30 is not a day). */
export function parseIsoDate(value: string): string | undefined {
  const m = ISO.exec(value);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return isRealDate(year, month, day) ? iso(year, month, day) : undefined;
}

/** `DD-MM-YYYY` → ISO `YYYY-MM-DD` when it names a real day, else undefined (31-02-2000 is not a day). */
export function parseCsvDate(value: string): string | undefined {
  const m = CSV.exec(value);
  if (!m) return undefined;
  const [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return isRealDate(year, month, day) ? iso(year, month, day) : undefined;
}

/** ISO `YYYY-MM-DD` → CSV `DD-MM-YYYY`. */
export function toCsvDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-');
  return `${day}-${month}-${year}`;
}

/** The UTC calendar day of an instant, as ISO. */
export function isoDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}
