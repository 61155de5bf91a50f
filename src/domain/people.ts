/**
 * People and households: one person record whatever role the person takes over time (traveller,
 * F1, F0, vaccinee). Pure rules only: how phone and ID numbers are normalised, what a search
 * query is asking for, when two records are likely the same person, and which side of a merge
 * each field comes from.
 */
import { fold } from './text.ts';

export const ID_TYPES = ['cccd', 'cmnd', 'passport', 'other'] as const;
export type IdType = (typeof ID_TYPES)[number];

export const SEXES = ['male', 'female', 'other'] as const;
export type Sex = (typeof SEXES)[number];

export const HOUSEHOLD_RELATIONS = ['head', 'spouse', 'child', 'parent', 'other'] as const;
export type HouseholdRelation = (typeof HOUSEHOLD_RELATIONS)[number];

export const ID_TYPE_LABELS: Record<IdType, string> = {
  cccd: 'Căn cước công dân',
  cmnd: 'Chứng minh nhân dân',
  passport: 'Hộ chiếu',
  other: 'Giấy tờ khác',
};

/** Nationality is an ISO 3166-1 alpha-2 code (as in the EU DCC the 2022 vaccine passport follows). */
export const DEFAULT_NATIONALITY = 'VN';
export const NATIONALITY_RE = /^[A-Z]{2}$/;

export const MIN_BIRTH_YEAR = 1900;

/**
 * A phone number in one form, so that "+84 912 345 678", "84912345678" and "0912.345.678" are
 * the same number: Vietnamese numbers as 0 + 9 or 10 digits; foreign numbers as + and 8–15
 * digits. A 9-digit mobile number that lost its leading 0 in a spreadsheet gets it back.
 * Returns null for anything that is not a phone number.
 */
export function normalisePhone(raw: string): string | null {
  const s = raw.trim().replace(/[\s.\-()]/g, '');
  let digits: string;
  if (s.startsWith('+')) {
    digits = s.slice(1);
    if (!/^\d+$/.test(digits)) return null;
    if (!digits.startsWith('84')) return /^[1-9]\d{7,14}$/.test(digits) ? '+' + digits : null;
    digits = '0' + digits.slice(2);
  } else {
    if (!/^\d+$/.test(s)) return null;
    digits = s;
    if (digits.startsWith('0084')) digits = '0' + digits.slice(4);
    else if (digits.startsWith('84') && (digits.length === 11 || digits.length === 12))
      digits = '0' + digits.slice(2);
    else if (/^[35789]\d{8}$/.test(digits)) digits = '0' + digits;
  }
  return /^0\d{9,10}$/.test(digits) ? digits : null;
}

/** An ID document number in one form: upper case, without spaces, dots or dashes. */
export function normaliseIdNumber(raw: string): string {
  return raw.toUpperCase().replace(/[\s.-]/g, '');
}

/** What is wrong with a (normalised) document number of this type, or null when it fits. */
export function idNumberProblem(type: IdType, number: string): string | null {
  switch (type) {
    case 'cccd':
      return /^\d{12}$/.test(number) ? null : 'Số CCCD gồm 12 chữ số';
    case 'cmnd':
      return /^(\d{9}|\d{12})$/.test(number) ? null : 'Số CMND gồm 9 hoặc 12 chữ số';
    case 'passport':
      return /^[A-Z0-9]{6,12}$/.test(number)
        ? null
        : 'Số hộ chiếu gồm 6 đến 12 chữ cái hoặc chữ số';
    case 'other':
      return /^[A-Z0-9/]{3,30}$/.test(number)
        ? null
        : 'Số giấy tờ gồm 3 đến 30 chữ cái, chữ số hoặc dấu /';
  }
}

/**
 * The searchable form of a name: folded (no accents, lower case) with punctuation turned into
 * spaces. "Nguyễn Văn An", "nguyen van an" and "NGUYỄN VĂN  AN." all give "nguyen van an".
 */
export function nameKey(text: string): string {
  return fold(text)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * The keys a name is found by: the name from each word on. "nguyen van an" gives
 * "nguyen van an", "van an" and "an", so a query matches a name when it starts at the start of
 * any word of it and continues in order ("van an", "an", "nguyen van a" all find Nguyễn Văn An).
 */
export function nameSuffixes(key: string): string[] {
  const words = key.split(' ').filter(Boolean);
  return [...new Set(words.map((_, i) => words.slice(i).join(' ')))];
}

/**
 * The half-open range [lo, hi) of strings that start with `prefix`, in code-point order (the
 * order of PostgreSQL's "C" collation on UTF-8), so a prefix search is one index range scan.
 */
export function prefixRange(prefix: string): [string, string] {
  const cps = [...prefix];
  const last = cps.pop();
  if (last === undefined) return ['', '\u{10FFFF}'];
  const next = last.codePointAt(0)! + 1;
  return [prefix, cps.join('') + String.fromCodePoint(Math.min(next, 0x10ffff))];
}

export type PersonQuery =
  | { kind: 'id'; idNumber: string }
  | { kind: 'phone'; phone: string }
  | { kind: 'name'; text: string; birthYear?: number };

/**
 * What a search box query is asking for:
 * - a document number: 12 digits starting with 0 (CCCD), 9 digits (CMND), any other run of
 *   digits that is not a phone number, or one word mixing letters and digits (passport);
 * - a phone number: 10–11 digits starting with 0, 84…, or +…;
 * - otherwise a name, folded, with an optional birth year among its words
 *   ("nguyen van an 1985"), matched from the start of any word of a name (see `nameSuffixes`).
 */
export function classifyQuery(q: string, currentYear = new Date().getFullYear()): PersonQuery {
  const raw = q.trim();
  const compact = raw.replace(/[\s.\-()]/g, '');
  if (/^\+?\d+$/.test(compact)) {
    const digits = compact.replace('+', '');
    if (!compact.startsWith('+') && (/^0\d{11}$/.test(digits) || /^\d{9}$/.test(digits)))
      return { kind: 'id', idNumber: digits };
    const phone = normalisePhone(compact);
    if (phone) return { kind: 'phone', phone };
    return { kind: 'id', idNumber: digits };
  }
  if (!/\s/.test(raw) && /^[A-Za-z0-9/]+$/.test(compact) && /\d/.test(compact)) {
    return { kind: 'id', idNumber: normaliseIdNumber(compact) };
  }
  const words = nameKey(raw).split(' ').filter(Boolean);
  let birthYear: number | undefined;
  const rest: string[] = [];
  for (const w of words) {
    const year = /^\d{4}$/.test(w) ? Number(w) : NaN;
    if (year >= MIN_BIRTH_YEAR && year <= currentYear) birthYear = year;
    else rest.push(w);
  }
  return { kind: 'name', text: rest.join(' '), ...(birthYear !== undefined ? { birthYear } : {}) };
}

/**
 * Does a person match a search query the way the register search matches it (issue 13, item 8)?
 * A document number or a phone matches exactly (normalised); a name matches from the start of
 * any word of the folded name, and a birth year in the query must be theirs. For lists already
 * on the device (a vaccination site's due and unvaccinated lists).
 */
export function matchesPersonQuery(
  query: PersonQuery,
  p: { fullName: string; birthYear: number; phone?: string | null; idNumber?: string | null },
): boolean {
  switch (query.kind) {
    case 'id':
      return !!p.idNumber && normaliseIdNumber(p.idNumber) === query.idNumber;
    case 'phone':
      return !!p.phone && normalisePhone(p.phone) === query.phone;
    case 'name':
      if (query.birthYear !== undefined && p.birthYear !== query.birthYear) return false;
      return nameSuffixes(nameKey(p.fullName)).some((k) => k.startsWith(query.text));
  }
}

/** What duplicate detection compares of a person record (all normalised). */
export interface DuplicateKey {
  idNumber?: string | null;
  phone?: string | null;
  /** nameKey(fullName) */
  searchName: string;
  birthYear: number;
  communeCode?: string | null;
}

export const DUPLICATE_REASONS = [
  'same_id_number',
  'same_phone_and_name',
  'same_name_birth_year_commune',
] as const;
export type DuplicateReason = (typeof DUPLICATE_REASONS)[number];

export const DUPLICATE_REASON_LABELS: Record<DuplicateReason, string> = {
  same_id_number: 'Trùng số giấy tờ',
  same_phone_and_name: 'Trùng số điện thoại và họ tên',
  same_name_birth_year_commune: 'Trùng họ tên, năm sinh và xã',
};

/** Why two records are likely the same person; empty when nothing suggests it. */
export function duplicateReasons(a: DuplicateKey, b: DuplicateKey): DuplicateReason[] {
  const out: DuplicateReason[] = [];
  if (a.idNumber && a.idNumber === b.idNumber) out.push('same_id_number');
  if (a.phone && a.phone === b.phone && a.searchName === b.searchName)
    out.push('same_phone_and_name');
  if (
    a.searchName === b.searchName &&
    a.birthYear === b.birthYear &&
    !!a.communeCode &&
    a.communeCode === b.communeCode
  )
    out.push('same_name_birth_year_commune');
  return out;
}

/**
 * The parts of a person a merge takes from one side or the other. Each part moves as a whole:
 * the birth date with its year, the document type with its number, the address with all its
 * codes, village and street.
 */
export const MERGE_FIELDS = [
  'fullName',
  'birth',
  'sex',
  'idDocument',
  'phone',
  'nationality',
  'address',
  'workplace',
] as const;
export type MergeField = (typeof MERGE_FIELDS)[number];
export type MergeSide = 'survivor' | 'other';
export type MergeChoice = Record<MergeField, MergeSide>;

/** Which parts of each record are empty (and so worth filling from the other side). */
export type MergeEmptiness = Partial<Record<MergeField, boolean>>;

/**
 * The side each part of the merged record comes from: what the officer chose, else the
 * survivor's, except that an empty part of the survivor (no birth date, no document, no phone,
 * no workplace) is filled from the other record.
 */
export function mergeChoice(
  survivorEmpty: MergeEmptiness,
  otherEmpty: MergeEmptiness,
  keep: Partial<Record<MergeField, MergeSide>> = {},
): MergeChoice {
  const out = {} as MergeChoice;
  for (const f of MERGE_FIELDS) {
    out[f] = keep[f] ?? (survivorEmpty[f] && !otherEmpty[f] ? 'other' : 'survivor');
  }
  return out;
}

/** The year of an ISO date 'YYYY-MM-DD'. */
export const yearOf = (isoDate: string) => Number(isoDate.slice(0, 4));

/** Is 'YYYY-MM-DD' a real calendar date? */
export function isRealDate(iso: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === iso;
}
