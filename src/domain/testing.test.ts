import { describe, expect, it } from 'vitest';
import {
  layoutOf,
  DEFAULT_F0_RULESETS,
  decideF0,
  matchPerson,
  parseImportRow,
  planPoolResult,
  poolProgress,
  resolveMapping,
  validateF0RuleSet,
  type Candidate,
  type F0Input,
} from './testing.ts';

const base = (over: Partial<F0Input> = {}): F0Input => ({
  result: { id: 'r1', kind: 'rapid', value: 'positive', sampledAt: '2022-01-10T08:00:00+07:00' },
  recent: [],
  confirmedF1: false,
  epiLink: false,
  ...over,
});

describe('F0 definition of 29/12/2021', () => {
  it('a positive PCR opens a case', () => {
    const d = decideF0(
      base({ result: { kind: 'pcr', value: 'positive', sampledAt: '2022-01-10T08:00:00+07:00' } }),
      DEFAULT_F0_RULESETS,
    )!;
    expect(d).toMatchObject({
      outcome: 'open_case',
      rulesetId: 'f0-2021-12-29',
      ruleId: 'pcr-positive',
    });
    expect(d.explanation.vi).toContain('08:00 10/01/2022');
  });
  it('an F1 with a positive rapid test is a case', () => {
    expect(decideF0(base({ confirmedF1: true }), DEFAULT_F0_RULESETS)).toMatchObject({
      outcome: 'open_case',
      ruleId: 'f1-rapid-positive',
    });
  });
  it('two positive rapid tests within 8 hours need an epidemiological link', () => {
    const recent = [
      {
        id: 'r0',
        kind: 'rapid' as const,
        value: 'positive' as const,
        sampledAt: '2022-01-10T01:00:00+07:00',
      },
    ];
    expect(decideF0(base({ recent, epiLink: true }), DEFAULT_F0_RULESETS)).toMatchObject({
      outcome: 'open_case',
      ruleId: 'two-rapid-8h-epi',
      pairedResultId: 'r0',
    });
    // no link: confirmation PCR
    expect(decideF0(base({ recent }), DEFAULT_F0_RULESETS)).toMatchObject({
      outcome: 'order_confirmation',
      ruleId: 'rapid-positive-confirm',
    });
  });
  it('8 hours is the edge: 8h01 apart is not a pair', () => {
    const at = (t: string) => [
      { id: 'r0', kind: 'rapid' as const, value: 'positive' as const, sampledAt: t },
    ];
    expect(
      decideF0(
        base({ recent: at('2022-01-10T00:00:00+07:00'), epiLink: true }),
        DEFAULT_F0_RULESETS,
      )!.ruleId,
    ).toBe('two-rapid-8h-epi');
    expect(
      decideF0(
        base({ recent: at('2022-01-09T23:59:00+07:00'), epiLink: true }),
        DEFAULT_F0_RULESETS,
      )!.ruleId,
    ).toBe('rapid-positive-confirm');
    // the result itself and a negative rapid test do not count
    expect(
      decideF0(
        base({
          recent: [
            { id: 'r1', kind: 'rapid', value: 'positive', sampledAt: '2022-01-10T08:00:00+07:00' },
            { id: 'r2', kind: 'rapid', value: 'negative', sampledAt: '2022-01-10T07:00:00+07:00' },
          ],
          epiLink: true,
        }),
        DEFAULT_F0_RULESETS,
      )!.ruleId,
    ).toBe('rapid-positive-confirm');
  });
  it('a suspected case with a positive rapid test and a link is a case', () => {
    expect(decideF0(base({ symptomatic: true, epiLink: true }), DEFAULT_F0_RULESETS)!.ruleId).toBe(
      'suspected-rapid-epi',
    );
    expect(decideF0(base({ symptomatic: true }), DEFAULT_F0_RULESETS)!.outcome).toBe(
      'order_confirmation',
    );
  });
  it('a negative result decides nothing', () => {
    expect(
      decideF0(
        base({
          result: { kind: 'pcr', value: 'negative', sampledAt: '2022-01-10T08:00:00+07:00' },
        }),
        DEFAULT_F0_RULESETS,
      ),
    ).toMatchObject({
      outcome: 'none',
      ruleId: 'not-positive',
    });
  });
  it('before 29/12/2021 an F1 with a positive rapid test still needs a PCR (reconstructed set)', () => {
    const d = decideF0(
      base({
        confirmedF1: true,
        result: { kind: 'rapid', value: 'positive', sampledAt: '2021-12-28T10:00:00+07:00' },
      }),
      DEFAULT_F0_RULESETS,
    )!;
    expect(d).toMatchObject({ outcome: 'order_confirmation', rulesetId: 'f0-pcr-only-2021' });
  });
  it('the shipped sets are valid', () => {
    for (const rs of DEFAULT_F0_RULESETS) expect(validateF0RuleSet(rs)).toEqual([]);
  });
});

describe('pools', () => {
  it('a negative pool resolves every member negative', () => {
    const plan = planPoolResult('negative', ['a', 'b', 'c', 'd', 'e']);
    expect(plan.kind).toBe('all_negative');
    expect(plan.members.every((m) => 'outcome' in m && m.outcome === 'negative')).toBe(true);
    expect(
      poolProgress({ result: 'negative', resultedAt: '2022-01-01T00:00:00Z' }, [], Date.now())
        .status,
    ).toBe('negative');
  });
  it('a positive pool retests every member and resolves when all are back', () => {
    const plan = planPoolResult('positive', ['a', 'b', 'c'], 'new_sample');
    expect(plan).toEqual({
      kind: 'retest',
      mode: 'new_sample',
      members: [{ specimenId: 'a' }, { specimenId: 'b' }, { specimenId: 'c' }],
    });
    const pool = { result: 'positive' as const, resultedAt: '2022-01-01T00:00:00Z' };
    const now = Date.parse('2022-01-01T10:00:00Z');
    const members = [
      { specimenId: 'a', outcome: 'negative' as const, retestOrderId: 'o1' },
      { specimenId: 'b', outcome: 'positive' as const, retestOrderId: 'o2' },
      { specimenId: 'c', outcome: null, retestOrderId: 'o3' },
    ];
    expect(poolProgress(pool, members, now)).toEqual({
      status: 'awaiting_retests',
      pending: ['c'],
      overdue: [],
      positives: ['b'],
    });
    const done = members.map((m) => ({ ...m, outcome: m.outcome ?? ('negative' as const) }));
    expect(poolProgress(pool, done, now)).toMatchObject({
      status: 'resolved',
      pending: [],
      positives: ['b'],
    });
  });
  it('a retest that never comes back is overdue after 48 hours, and an invalid one stays pending', () => {
    const pool = { result: 'positive' as const, resultedAt: '2022-01-01T00:00:00Z' };
    const members = [
      { specimenId: 'a', outcome: null, retestOrderId: 'o1' },
      { specimenId: 'b', outcome: 'invalid' as const, retestOrderId: 'o2' },
    ];
    expect(poolProgress(pool, members, Date.parse('2022-01-02T23:59:00Z')).overdue).toEqual([]);
    expect(poolProgress(pool, members, Date.parse('2022-01-03T00:01:00Z'))).toMatchObject({
      status: 'awaiting_retests',
      overdue: ['a', 'b'],
    });
  });
});

describe('matching order', () => {
  const c = (over: Partial<Candidate>): Candidate => ({
    id: 'x',
    idNumber: null,
    phone: null,
    searchName: 'nguyen van an',
    birthYear: 1985,
    communeCode: '03136',
    ...over,
  });
  const key = {
    idNumber: '001085012345',
    phone: '0912345678',
    name: 'nguyen van an',
    birthYear: 1985,
    communeCode: '03136',
  };
  it('ID number first, then phone, then name + birth year', () => {
    const all = [
      c({ id: 'byName' }),
      c({ id: 'byPhone', phone: '0912345678', searchName: 'nguyen van binh' }),
      c({ id: 'byId', idNumber: '001085012345', searchName: 'khac' }),
    ];
    expect(matchPerson(key, all)).toEqual({ by: 'id_number', personId: 'byId' });
    expect(matchPerson(key, all.slice(0, 2))).toEqual({ by: 'phone', personId: 'byPhone' });
    expect(matchPerson(key, all.slice(0, 1))).toEqual({
      by: 'name_birth_year',
      personId: 'byName',
    });
    expect(matchPerson(key, [])).toEqual({ by: 'create' });
  });
  it('a shared phone with another birth year is not the person', () => {
    expect(
      matchPerson(key, [
        c({ id: 'mother', phone: '0912345678', birthYear: 1960, searchName: 'lo thi mai' }),
      ]),
    ).toEqual({
      by: 'create',
    });
  });
  it('several namesakes: the one in the commune, else ambiguous; another ID is another person', () => {
    const two = [c({ id: 'a', communeCode: '03136' }), c({ id: 'b', communeCode: '03331' })];
    expect(matchPerson({ ...key, idNumber: null, phone: null }, two)).toEqual({
      by: 'name_birth_year',
      personId: 'a',
    });
    expect(matchPerson({ ...key, idNumber: null, phone: null, communeCode: null }, two)).toEqual({
      by: 'ambiguous',
      count: 2,
    });
    expect(matchPerson(key, [c({ id: 'other', idNumber: '999999999999' })])).toEqual({
      by: 'create',
    });
  });
  it('an ID number of someone born another year is a conflict', () => {
    expect(matchPerson(key, [c({ id: 'p', idNumber: '001085012345', birthYear: 1990 })]).by).toBe(
      'conflict',
    );
  });
});

describe('reading an uploaded row', () => {
  const now = Date.parse('2022-01-15T12:00:00+07:00');
  const m = resolveMapping([
    'ho_ten',
    'nam_sinh',
    'cccd',
    'ket_qua',
    'ngay_lay_mau',
    'loai_xn',
    'ma_xa',
  ]);
  const ctx = { nowMs: now, knownTestTypes: new Set(['rt_pcr', 'rapid_antigen']) };
  it('reads Vietnamese dates, words without accents, and test types', () => {
    const r = parseImportRow(
      {
        ho_ten: 'Nguyen Van An',
        nam_sinh: '1985',
        cccd: '001 085 012 345',
        ket_qua: 'Duong tinh',
        ngay_lay_mau: '14/01/2022 07:30',
        loai_xn: 'Test nhanh',
        ma_xa: '03136',
      },
      m,
      ctx,
    );
    expect(r).toMatchObject({
      ok: true,
      row: {
        nameKey: 'nguyen van an',
        idNumber: '001085012345',
        result: 'positive',
        testType: 'rapid_antigen',
        sampledAt: '2022-01-14T00:30:00.000Z',
      },
    });
  });
  it('keeps a name typed decomposed (NFD) in one spelling, NFC (issue 13 item 6)', () => {
    const r = parseImportRow(
      {
        ho_ten: 'Nguyễn Thị Hường'.normalize('NFD'),
        nam_sinh: '1985',
        ket_qua: 'âm tính',
        ngay_lay_mau: '14/01/2022 07:30',
        loai_xn: 'PCR',
      },
      m,
      ctx,
    );
    expect(r).toMatchObject({ ok: true, row: { fullName: 'Nguyễn Thị Hường'.normalize('NFC') } });
  });
  it('names the column of a bad value', () => {
    const r = parseImportRow(
      {
        ho_ten: 'A B',
        nam_sinh: '1985',
        ket_qua: 'âm tính',
        ngay_lay_mau: '31/02/2022',
        loai_xn: 'PCR',
      },
      m,
      ctx,
    );
    expect(r).toEqual({
      ok: false,
      field: 'ngay_lay_mau',
      message: 'Ngày lấy mẫu: "31/02/2022" không phải ngày (dd/mm/yyyy)',
      messageEn: 'Sample date: "31/02/2022" is not a date (dd/mm/yyyy)',
    });
    const f = parseImportRow(
      { ho_ten: 'A B', nam_sinh: '1985', ket_qua: 'x', ngay_lay_mau: '14/01/2022', loai_xn: 'PCR' },
      m,
      ctx,
    );
    expect(f.ok === false && f.field).toBe('ket_qua');
  });
});

describe('layoutOf (one saved mapping per file layout)', () => {
  it('is the header keys sorted, without repeats or empties; column order does not matter', () => {
    expect(layoutOf(['kq', 'ho_ten', '', 'ngay_lay_mau', 'kq'])).toBe('ho_ten|kq|ngay_lay_mau');
    expect(layoutOf(['ngay_lay_mau', 'kq', 'ho_ten'])).toBe(
      layoutOf(['ho_ten', 'kq', 'ngay_lay_mau']),
    );
    expect(layoutOf(['ho_ten', 'kq'])).not.toBe(layoutOf(['ho_ten', 'ket_qua']));
    expect(
      layoutOf(Array.from({ length: 60 }, (_, i) => `cot_${'x'.repeat(80)}_${i}`)).length,
    ).toBe(4000);
  });
});
