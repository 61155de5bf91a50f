/**
 * Calendar dates as 'YYYY-MM-DD' strings, and instants parsed from ISO date-times, computed with
 * integer arithmetic only: no `Date`, so no dependence on the machine's time zone or DST.
 *
 * A calendar date is a day number since 1970-01-01 (Howard Hinnant's days-from-civil algorithm,
 * proleptic Gregorian calendar). An instant is milliseconds since 1970-01-01T00:00Z.
 */

/** A calendar date written 'YYYY-MM-DD'. */
export type IsoDate = string;

/** Vietnam has been UTC+07:00 all year since 1975 (no daylight saving time). */
export const VIETNAM_OFFSET_MINUTES = 7 * 60;

const MS_PER_MINUTE = 60_000;
const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function parts(date: string): [number, number, number] | null {
  const m = DATE_RE.exec(date);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return null;
  return [y, mo, d];
}

/** True for a real calendar date written 'YYYY-MM-DD' ('2021-02-29' is false, '2024-02-29' true). */
export function isValidIsoDate(value: unknown): value is IsoDate {
  return typeof value === 'string' && parts(value) !== null;
}

function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(z: number): [number, number, number] {
  const zz = z + 719468;
  const era = Math.floor(zz / 146097);
  const doe = zz - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

/** Days since 1970-01-01 (which is 0). Throws a RangeError for anything but a real date. */
export function toDayIndex(date: IsoDate): number {
  const p = parts(date);
  if (!p) throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  return daysFromCivil(p[0], p[1], p[2]);
}

/** The date `index` days after 1970-01-01. */
export function fromDayIndex(index: number): IsoDate {
  if (!Number.isInteger(index)) throw new RangeError(`Not a whole number of days: ${index}`);
  const [y, m, d] = civilFromDays(index);
  if (y < 1 || y > 9999) throw new RangeError(`Year out of range: ${y}`);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** `date` plus `days` (negative to go back). */
export function addDays(date: IsoDate, days: number): IsoDate {
  return fromDayIndex(toDayIndex(date) + days);
}

/** Whole days from `from` to `to`: positive when `to` is later, 0 on the same day. */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return toDayIndex(to) - toDayIndex(from);
}

/** -1, 0 or 1 as `a` is before, on or after `b` (usable with Array.prototype.sort). */
export function compare(a: IsoDate, b: IsoDate): -1 | 0 | 1 {
  const d = toDayIndex(a) - toDayIndex(b);
  return d < 0 ? -1 : d > 0 ? 1 : 0;
}

/** The day number of `date` in a period starting on `start`, which is day 1. */
export function dayNumber(start: IsoDate, date: IsoDate): number {
  return daysBetween(start, date) + 1;
}

/** The date of day `day` of a period starting on `start` (day 1 is `start` itself). */
export function dateOfDay(start: IsoDate, day: number): IsoDate {
  return addDays(start, day - 1);
}

/** `from` ≤ `date` ≤ `to`, both ends included; `to` null means open-ended. */
export function isWithin(date: IsoDate, from: IsoDate, to: IsoDate | null): boolean {
  return compare(from, date) <= 0 && (to === null || compare(date, to) <= 0);
}

/** 'YYYY-MM-DD' → 'dd/mm/yyyy', the form of every Vietnamese document. */
export function formatViDate(date: IsoDate): string {
  const p = parts(date);
  if (!p) throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  return `${String(p[2]).padStart(2, '0')}/${String(p[1]).padStart(2, '0')}/${String(p[0]).padStart(4, '0')}`;
}

const DATETIME_RE =
  /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Parses an ISO 8601 date-time ('2021-07-20T08:30:00+07:00', '…Z', '2021-07-20T08:30') to an
 * instant in ms since the epoch; null when it is not one. Without an offset the time is read in
 * `defaultOffsetMinutes` (Vietnam time unless told otherwise), never in the machine's zone. A bare
 * date means 00:00 of that day.
 */
export function parseInstant(
  value: string,
  defaultOffsetMinutes: number = VIETNAM_OFFSET_MINUTES,
): number | null {
  const m = DATETIME_RE.exec(value.trim());
  if (!m) return null;
  const [, date = '', hh = '0', mi = '0', ss = '0', frac = '', zone] = m;
  if (!isValidIsoDate(date)) return null;
  const h = Number(hh);
  const min = Number(mi);
  const s = Number(ss);
  if (h > 23 || min > 59 || s > 59) return null;
  let offset = defaultOffsetMinutes;
  if (zone && zone.toUpperCase() !== 'Z') {
    const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
    if (!z) return null;
    const oh = Number(z[2]);
    const om = Number(z[3]);
    if (oh > 23 || om > 59) return null;
    offset = (z[1] === '-' ? -1 : 1) * (oh * 60 + om);
  } else if (zone) {
    offset = 0;
  }
  const ms = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
  return (
    toDayIndex(date) * MS_PER_DAY +
    h * MS_PER_HOUR +
    min * MS_PER_MINUTE +
    s * 1000 +
    ms -
    offset * MS_PER_MINUTE
  );
}

/** The first instant of `date` (00:00) at the given UTC offset. */
export function startOfDayInstant(
  date: IsoDate,
  offsetMinutes: number = VIETNAM_OFFSET_MINUTES,
): number {
  return toDayIndex(date) * MS_PER_DAY - offsetMinutes * MS_PER_MINUTE;
}

/** The calendar date of an instant at the given UTC offset (Vietnam time by default). */
export function dateOfInstant(
  instant: number,
  offsetMinutes: number = VIETNAM_OFFSET_MINUTES,
): IsoDate {
  return fromDayIndex(Math.floor((instant + offsetMinutes * MS_PER_MINUTE) / MS_PER_DAY));
}

/** Hours from instant `from` to instant `to` (fractional; negative when `to` is earlier). */
export function hoursBetween(from: number, to: number): number {
  return (to - from) / MS_PER_HOUR;
}
