/**
 * Results files as labs send them: the date forms and result words in use, read by tables of
 * forms rather than one strict format. Pure (no I/O); times without a zone are Vietnam time.
 *
 * Dates: day first with "/", "." or "-" (dd/mm/yyyy, d/m/yy, 14.01.2022, 14-1-22), with or
 * without a time (hh:mm[:ss], 7h30, 7g30; before or after the date); ISO (yyyy-mm-dd[Thh:mm],
 * with a zone or without); Excel serial numbers (a cell or CSV export of a date cell that was
 * not formatted as a date), Lotus' 1900 leap-year quirk included: serial 60 is 29/02/1900, a day
 * that never was, so it is refused, and serials from 61 count from 30/12/1899.
 */
import { fold } from './text.ts';
import { isValidIsoDate, parseInstant, type IsoDate } from './dates.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const pad = (n: number | string) => String(n).padStart(2, '0');

/** A two-digit year: this century unless that lies after `thisYear`, then the last one. */
export function fullYear(yy: number, thisYear: number): number {
  const y = 2000 + yy;
  return y > thisYear ? y - 100 : y;
}

/** Days from 1899-12-30 (Excel's day 0 for serials ≥ 61) to 1970-01-01. */
const EXCEL_EPOCH_OFFSET = 25569;
/** The last serial Excel knows: 31/12/9999. */
const EXCEL_MAX = 2958465;

/**
 * An Excel serial date (days, the fraction being the time of day) as Vietnam wall-clock
 * milliseconds-since-epoch-as-if-UTC, or null for 60 (29/02/1900) and anything out of range.
 */
export function excelSerialToLocal(serial: number): number | null {
  if (!Number.isFinite(serial) || serial < 1 || serial >= EXCEL_MAX + 1) return null;
  const day = Math.floor(serial);
  if (day === 60) return null; // 29/02/1900: the leap day Lotus 1-2-3 invented and Excel kept
  // Serials 1–59 (Jan–Feb 1900) come before the invented day: they count from 31/12/1899.
  const days = day < 60 ? day - EXCEL_EPOCH_OFFSET + 1 : day - EXCEL_EPOCH_OFFSET;
  const ms = Math.round(((serial - day) * DAY) / 1000) * 1000;
  return days * DAY + ms;
}

const TIME = String.raw`(\d{1,2})\s*[:hg]\s*(\d{2})(?::(\d{2}))?`;
/** Day first, then the time or not: 14/01/2022, 14.1.22 07:30, 14-01-2022 7h30. */
const DAY_FIRST = new RegExp(
  String.raw`^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4}|\d{2})(?:[\sT,]+${TIME})?$`,
);
/** The time before the date: "07:30 14/01/2022". */
const TIME_FIRST = new RegExp(
  String.raw`^${TIME}[\s,]+(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4}|\d{2})$`,
);
/** Year first with "/" or "." (2022/01/14); "-" is ISO and left to parseInstant. */
const YEAR_FIRST = new RegExp(String.raw`^(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?:[\sT,]+${TIME})?$`);
const SERIAL = /^\d{1,7}(?:[.,]\d+)?$/;

function localToInstant(y: number, m: number, d: number, hh = 0, mi = 0, ss = 0): number | null {
  const date = `${String(y).padStart(4, '0')}-${pad(m)}-${pad(d)}`;
  if (!isValidIsoDate(date) || hh > 23 || mi > 59 || ss > 59) return null;
  return parseInstant(`${date}T${pad(hh)}:${pad(mi)}:${pad(ss)}`);
}

const num = (s: string | undefined) => (s === undefined ? 0 : Number(s));

/**
 * A date or date-time as labs write it → an instant (ms), or null when it is not a real date.
 * `thisYear` decides the century of a two-digit year. A bare four-digit number is a year, not an
 * Excel serial (serial 1985 would be 1905): it is refused as a date.
 */
export function parseLabDateTime(raw: string, thisYear: number): number | null {
  const s = raw.trim();
  if (!s) return null;
  const year = (t: string) => (t.length === 2 ? fullYear(Number(t), thisYear) : Number(t));
  let m = DAY_FIRST.exec(s);
  if (m) return localToInstant(year(m[3]!), +m[2]!, +m[1]!, num(m[4]), num(m[5]), num(m[6]));
  m = TIME_FIRST.exec(s);
  if (m) return localToInstant(year(m[6]!), +m[5]!, +m[4]!, num(m[1]), num(m[2]), num(m[3]));
  m = YEAR_FIRST.exec(s);
  if (m) return localToInstant(+m[1]!, +m[2]!, +m[3]!, num(m[4]), num(m[5]), num(m[6]));
  if (SERIAL.test(s)) {
    if (/^\d{4}$/.test(s)) return null;
    const local = excelSerialToLocal(Number(s.replace(',', '.')));
    return local === null ? null : local - 7 * HOUR;
  }
  // ISO: yyyy-mm-dd, with a time, with a zone or not (a date alone is midnight in Vietnam).
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return isValidIsoDate(s) ? parseInstant(`${s}T00:00`) : null;
  if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(s)) return null;
  if (!isValidIsoDate(s.slice(0, 10))) return null;
  return parseInstant(s.replace(' ', 'T'));
}

/** The calendar day (Vietnam) of an instant. */
export const viDateOf = (ms: number): IsoDate => new Date(ms + 7 * HOUR).toISOString().slice(0, 10);

export type LabResult = 'negative' | 'positive' | 'invalid';

/** Result words as labs write them, folded (no accents, lower case, "_" between words). */
export const RESULT_WORDS: Readonly<Record<string, LabResult>> = {
  duong_tinh: 'positive',
  duong: 'positive',
  dt: 'positive',
  d_t: 'positive',
  '+': 'positive',
  positive: 'positive',
  pos: 'positive',
  phat_hien: 'positive',
  am_tinh: 'negative',
  am: 'negative',
  at: 'negative',
  a_t: 'negative',
  '-': 'negative',
  negative: 'negative',
  neg: 'negative',
  khong_phat_hien: 'negative',
  khong_xac_dinh: 'invalid',
  kxd: 'invalid',
  khong_hop_le: 'invalid',
  invalid: 'invalid',
  inconclusive: 'invalid',
};

/** "Dương tính (+)" → "duong_tinh_+". */
export const resultWordKey = (s: string) =>
  fold(s)
    .replace(/[^a-z0-9+-]+/g, '_')
    .replace(/^_+|_+$/g, '');

/**
 * A result word → its value, or null. A word followed by its sign ("Dương tính (+)",
 * "Âm tính -") is read when the sign agrees with the word; a sign that contradicts it is null.
 */
export function parseResultWord(raw: string): LabResult | null {
  const k = resultWordKey(raw);
  const direct = RESULT_WORDS[k];
  if (direct) return direct;
  const signed = /^([a-z_]+?)_?([+-])$/.exec(k);
  if (!signed) return null;
  const word = RESULT_WORDS[signed[1]!];
  const sign = RESULT_WORDS[signed[2]!];
  return word && word === sign ? word : null;
}
