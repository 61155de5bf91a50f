import { describe, expect, it } from 'vitest';
import {
  matchesPersonQuery,
  classifyQuery,
  duplicateReasons,
  idNumberProblem,
  isRealDate,
  mergeChoice,
  nameKey,
  nameSuffixes,
  normaliseIdNumber,
  normalisePhone,
  prefixRange,
  type DuplicateKey,
} from './people.ts';

describe('normalisePhone', () => {
  it.each([
    ['0912345678', '0912345678'],
    ['0912.345.678', '0912345678'],
    ['0912 345 678', '0912345678'],
    ['+84 912 345 678', '0912345678'],
    ['+84912345678', '0912345678'],
    ['84912345678', '0912345678'],
    ['0084912345678', '0912345678'],
    ['(0215) 3825 123', '02153825123'],
    ['842153825123', '02153825123'],
    ['912345678', '0912345678'],
    ['+856 20 5555 1234', '+8562055551234'],
  ])('%s → %s', (raw, out) => expect(normalisePhone(raw)).toBe(out));

  it.each(['', 'abc', '12345', '091234567', '09123456789012', '+84', '+0123456789', '1234567890'])(
    'rejects %j',
    (raw) => expect(normalisePhone(raw)).toBeNull(),
  );
});

describe('normaliseIdNumber and idNumberProblem', () => {
  it('upper-cases and drops spaces, dots and dashes', () => {
    expect(normaliseIdNumber(' 001 085-012.345 ')).toBe('001085012345');
    expect(normaliseIdNumber('b1234567')).toBe('B1234567');
  });
  it.each([
    ['cccd', '001085012345', true],
    ['cccd', '00108501234', false],
    ['cmnd', '040123456', true],
    ['cmnd', '001085012345', true],
    ['cmnd', '0401234567', false],
    ['passport', 'B1234567', true],
    ['passport', 'B12', false],
    ['other', 'GPLX/123', true],
    ['other', 'X', false],
  ] as const)('%s %s fits: %s', (type, number, ok) => {
    expect(idNumberProblem(type, number) === null).toBe(ok);
  });
});

describe('nameKey', () => {
  it.each([
    ['Nguyễn Văn An', 'nguyen van an'],
    ['NGUYỄN  VĂN AN.', 'nguyen van an'],
    ['Đặng Thị Ngọc-Ánh', 'dang thi ngoc anh'],
    ['Lò Văn Đức', 'lo van duc'],
  ])('%s → %s', (name, key) => expect(nameKey(name)).toBe(key));

  it('lists the name from each word on, once each', () => {
    expect(nameSuffixes('nguyen van an')).toEqual(['nguyen van an', 'van an', 'an']);
    expect(nameSuffixes('an van an')).toEqual(['an van an', 'van an', 'an']);
    expect(nameSuffixes('')).toEqual([]);
  });
});

describe('prefixRange', () => {
  it('bounds every string that starts with the prefix and nothing else', () => {
    const [lo, hi] = prefixRange('nguyen van');
    expect([lo, hi]).toEqual(['nguyen van', 'nguyen vao']);
    const inRange = (s: string) => s >= lo && s < hi;
    expect(inRange('nguyen van')).toBe(true);
    expect(inRange('nguyen van an')).toBe(true);
    expect(inRange('nguyen vana')).toBe(true);
    expect(inRange('nguyen vam')).toBe(false);
    expect(inRange('nguyen vao')).toBe(false);
    expect(inRange('nguyen va')).toBe(false);
  });
});

describe('classifyQuery', () => {
  const year = 2021;
  it.each([
    ['001085012345', { kind: 'id', idNumber: '001085012345' }],
    ['001 085 012 345', { kind: 'id', idNumber: '001085012345' }],
    ['040123456', { kind: 'id', idNumber: '040123456' }],
    ['B1234567', { kind: 'id', idNumber: 'B1234567' }],
    ['c1234567', { kind: 'id', idNumber: 'C1234567' }],
    ['123456', { kind: 'id', idNumber: '123456' }],
    ['0912345678', { kind: 'phone', phone: '0912345678' }],
    ['0912 345 678', { kind: 'phone', phone: '0912345678' }],
    ['+84 912 345 678', { kind: 'phone', phone: '0912345678' }],
    ['84912345678', { kind: 'phone', phone: '0912345678' }],
    ['nguyen van an', { kind: 'name', text: 'nguyen van an' }],
    ['Nguyễn Văn An', { kind: 'name', text: 'nguyen van an' }],
    ['nguyen van an 1985', { kind: 'name', text: 'nguyen van an', birthYear: 1985 }],
    ['1985 Nguyễn Văn An', { kind: 'name', text: 'nguyen van an', birthYear: 1985 }],
    ['Tổ 5', { kind: 'name', text: 'to 5' }],
    ['an 2035', { kind: 'name', text: 'an 2035' }],
  ])('%j → %o', (q, out) => expect(classifyQuery(q, year)).toEqual(out));
});

describe('matchesPersonQuery (lists on the device searched like the register)', () => {
  const p = {
    fullName: 'Nguyễn Thị Ánh Tuyết',
    birthYear: 1985,
    phone: '0912345678',
    idNumber: '011085012345',
  };
  const m = (q: string) => matchesPersonQuery(classifyQuery(q, 2022), p);
  it('finds by ID number and phone, written with spaces or the country code', () => {
    expect(m('011085012345')).toBe(true);
    expect(m('011 085 012 345')).toBe(true);
    expect(m('011085012346')).toBe(false);
    expect(m('0912 345 678')).toBe(true);
    expect(m('+84912345678')).toBe(true);
    expect(m('0912345679')).toBe(false);
    expect(matchesPersonQuery(classifyQuery('0912345678'), { ...p, phone: null })).toBe(false);
  });
  it('finds by a name without diacritics from the start of any word, with the birth year', () => {
    expect(m('anh tuyet')).toBe(true);
    expect(m('NGUYEN THI')).toBe(true);
    expect(m('tuy')).toBe(true);
    expect(m('uyet')).toBe(false);
    expect(m('anh tuyet 1985')).toBe(true);
    expect(m('anh tuyet 1986')).toBe(false);
  });
});

describe('duplicateReasons', () => {
  const base: DuplicateKey = {
    idNumber: '001085012345',
    phone: '0912345678',
    searchName: 'nguyen van an',
    birthYear: 1985,
    communeCode: '03136',
  };
  it.each<[string, Partial<DuplicateKey>, string[]]>([
    [
      'the same record twice',
      {},
      ['same_id_number', 'same_phone_and_name', 'same_name_birth_year_commune'],
    ],
    [
      'only the document number',
      { phone: null, searchName: 'lo van a', birthYear: 1990 },
      ['same_id_number'],
    ],
    ['phone and name', { idNumber: null, birthYear: 1990 }, ['same_phone_and_name']],
    ['phone, another name', { idNumber: null, searchName: 'lo thi b', birthYear: 1990 }, []],
    [
      'name, year and commune',
      { idNumber: 'B1234567', phone: null },
      ['same_name_birth_year_commune'],
    ],
    ['name and year, another commune', { idNumber: null, phone: null, communeCode: '03331' }, []],
    ['name, commune, another year', { idNumber: null, phone: null, birthYear: 1986 }, []],
  ])('%s → %o', (_name, change, reasons) => {
    expect(duplicateReasons(base, { ...base, ...change })).toEqual(reasons);
  });

  it('never matches on missing values', () => {
    const a: DuplicateKey = { searchName: 'a', birthYear: 1990, idNumber: null, phone: null };
    const b: DuplicateKey = { searchName: 'b', birthYear: 1991, idNumber: null, phone: null };
    expect(duplicateReasons(a, b)).toEqual([]);
    expect(duplicateReasons({ ...a, communeCode: null }, { ...a, communeCode: null })).toEqual([]);
  });
});

describe('mergeChoice', () => {
  it('keeps the survivor unless told otherwise', () => {
    expect(mergeChoice({}, {})).toEqual({
      fullName: 'survivor',
      birth: 'survivor',
      sex: 'survivor',
      idDocument: 'survivor',
      phone: 'survivor',
      nationality: 'survivor',
      address: 'survivor',
      workplace: 'survivor',
    });
  });
  it('fills the survivor’s empty parts from the other record', () => {
    const c = mergeChoice({ phone: true, idDocument: true }, { idDocument: true });
    expect(c.phone).toBe('other');
    expect(c.idDocument).toBe('survivor');
  });
  it('follows the officer’s choice over everything', () => {
    const c = mergeChoice({ phone: true }, {}, { phone: 'survivor', fullName: 'other' });
    expect(c.phone).toBe('survivor');
    expect(c.fullName).toBe('other');
  });
});

describe('isRealDate', () => {
  it.each([
    ['1985-02-28', true],
    ['2000-02-29', true],
    ['1900-02-29', false],
    ['1985-13-01', false],
    ['1985-1-1', false],
  ])('%s: %s', (d, ok) => expect(isRealDate(d)).toBe(ok));
});
