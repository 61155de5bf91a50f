import { describe, expect, it } from 'vitest';
import {
  excelSerialToLocal,
  fullYear,
  parseLabDateTime,
  parseResultWord,
  viDateOf,
} from './lab-file.ts';
import { parseImportRow, resolveMapping } from './testing.ts';

const at = (s: string) => new Date(parseLabDateTime(s, 2026) ?? NaN);
const iso = (s: string) => {
  const t = parseLabDateTime(s, 2026);
  return t === null ? null : new Date(t + 7 * 3_600_000).toISOString().slice(0, 19);
};

describe('dates as labs write them', () => {
  it.each([
    ['14/01/2022', '2022-01-14T00:00:00'],
    ['14/1/2022', '2022-01-14T00:00:00'],
    ['4/1/22', '2022-01-04T00:00:00'],
    ['04.01.2022', '2022-01-04T00:00:00'],
    ['4-1-22', '2022-01-04T00:00:00'],
    ['14/01/2022 07:30', '2022-01-14T07:30:00'],
    ['14/01/2022 7:30:15', '2022-01-14T07:30:15'],
    ['14/01/2022 7h30', '2022-01-14T07:30:00'],
    ['14.01.22, 23g05', '2022-01-14T23:05:00'],
    ['07:30 14/01/2022', '2022-01-14T07:30:00'],
    ['2022-01-14', '2022-01-14T00:00:00'],
    ['2022-01-14T07:30', '2022-01-14T07:30:00'],
    ['2022-01-14 07:30', '2022-01-14T07:30:00'],
    ['2022-01-14T00:30:00Z', '2022-01-14T07:30:00'],
    ['2022/01/14', '2022-01-14T00:00:00'],
    ['29/02/2024', '2024-02-29T00:00:00'],
    // two-digit years: this century unless in the future (2026 here), then the last one
    ['05/03/26', '2026-03-05T00:00:00'],
    ['05/03/27', '1927-03-05T00:00:00'],
    ['05/03/85', '1985-03-05T00:00:00'],
    // Excel serials: 44575 is 14/01/2022; the fraction is the time of day
    ['44575', '2022-01-14T00:00:00'],
    ['44575.3125', '2022-01-14T07:30:00'],
    ['44575,5', '2022-01-14T12:00:00'],
    ['61', '1900-03-01T00:00:00'],
    ['59', '1900-02-28T00:00:00'],
    ['1', '1900-01-01T00:00:00'],
  ])('%s → %s', (raw, want) => expect(iso(raw)).toBe(want));

  it.each([
    '31/02/2022',
    '29/02/2023',
    '32/01/2022',
    '14/13/2022',
    '14/01/2022 24:00',
    '14/01/2022 07:60',
    '2022-02-30',
    '60', // 29/02/1900, the leap day that never was
    '0',
    '1985', // a year, not serial 1985 (1905)
    '14/01',
    'hôm qua',
    '',
    '2958466',
    '14/01/202',
  ])('%s → not a date', (raw) => expect(parseLabDateTime(raw, 2026)).toBeNull());

  it('reads a time without a zone as Vietnam time', () => {
    expect(at('14/01/2022 07:30').toISOString()).toBe('2022-01-14T00:30:00.000Z');
    expect(viDateOf(at('14/01/2022 00:30').getTime())).toBe('2022-01-14');
  });
  it('puts a two-digit year in the century that is not in the future', () => {
    expect(fullYear(26, 2026)).toBe(2026);
    expect(fullYear(27, 2026)).toBe(1927);
    expect(fullYear(0, 2026)).toBe(2000);
    expect(fullYear(99, 2026)).toBe(1999);
  });
  it('counts Excel serials around the invented 29/02/1900 and at the last day', () => {
    expect(excelSerialToLocal(59)).toBe(Date.UTC(1900, 1, 28));
    expect(excelSerialToLocal(60)).toBeNull();
    expect(excelSerialToLocal(61)).toBe(Date.UTC(1900, 2, 1));
    expect(excelSerialToLocal(2958465)).toBe(Date.UTC(9999, 11, 31));
    expect(excelSerialToLocal(2958466)).toBeNull();
    expect(excelSerialToLocal(0.5)).toBeNull();
  });
});

describe('result words as labs write them', () => {
  it.each([
    ['Dương tính', 'positive'],
    ['DƯƠNG TÍNH', 'positive'],
    ['dương', 'positive'],
    ['Duong tinh', 'positive'],
    ['DT', 'positive'],
    ['D.T', 'positive'],
    ['+', 'positive'],
    ['(+)', 'positive'],
    ['Dương tính (+)', 'positive'],
    ['Positive', 'positive'],
    ['pos', 'positive'],
    ['Phát hiện', 'positive'],
    ['Âm tính', 'negative'],
    ['ÂM TÍNH', 'negative'],
    ['âm', 'negative'],
    ['AT', 'negative'],
    ['A.T', 'negative'],
    ['-', 'negative'],
    ['(-)', 'negative'],
    ['Âm tính (-)', 'negative'],
    ['Negative', 'negative'],
    ['NEG', 'negative'],
    ['Không phát hiện', 'negative'],
    ['Không xác định', 'invalid'],
    ['KXĐ', 'invalid'],
    ['Invalid', 'invalid'],
    // the same word in decomposed Unicode (NFD), as some Mac exports write it
    ['Dương tính'.normalize('NFD'), 'positive'],
  ])('%s → %s', (raw, want) => expect(parseResultWord(raw)).toBe(want));

  it.each(['Dương tính (-)', 'Âm tính +', 'x', '', 'dương âm', '++', 'nghi ngờ'])(
    '%s → not a result',
    (raw) => expect(parseResultWord(raw)).toBeNull(),
  );
});

describe('a row as labs send it', () => {
  const now = Date.parse('2022-01-20T12:00:00+07:00');
  const m = resolveMapping(['ho_ten', 'ngay_sinh', 'ket_qua', 'ngay_lay_mau', 'loai_xn']);
  const ctx = { nowMs: now, knownTestTypes: new Set(['rt_pcr']) };
  const row = (over: Record<string, string>) =>
    parseImportRow(
      {
        ho_ten: 'Lò Văn Bình',
        ngay_sinh: '05/03/85',
        ket_qua: 'DT',
        ngay_lay_mau: '14/1/22',
        loai_xn: 'PCR',
        ...over,
      },
      m,
      ctx,
    );
  it('accepts d/m/yy without a time, a two-digit birth year and "DT"', () => {
    expect(row({})).toMatchObject({
      ok: true,
      row: {
        birthDate: '1985-03-05',
        birthYear: 1985,
        result: 'positive',
        sampledAt: '2022-01-13T17:00:00.000Z',
      },
    });
  });
  it('accepts an Excel serial sample date', () => {
    expect(row({ ngay_lay_mau: '44575.3125' })).toMatchObject({
      ok: true,
      row: { sampledAt: '2022-01-14T00:30:00.000Z' },
    });
  });
  it('names the column of what it cannot read', () => {
    expect(row({ ngay_lay_mau: '60' })).toMatchObject({ ok: false, field: 'ngay_lay_mau' });
    expect(row({ ket_qua: 'Dương tính (-)' })).toMatchObject({ ok: false, field: 'ket_qua' });
    expect(row({ ngay_sinh: '31/02/85' })).toMatchObject({ ok: false, field: 'ngay_sinh' });
  });
});
