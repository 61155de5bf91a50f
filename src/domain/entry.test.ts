import { describe, expect, it } from 'vitest';
import { addDays } from './dates.ts';
import {
  classifyArrival,
  mostSpecificArea,
  type ArrivalDecision,
  type ArrivalInput,
  type ClassifyResult,
  type EpidemicArea,
} from './entry.ts';
import { DEFAULT_RULESETS, RULESET_CV8399, type ArrivalRuleSet } from './rulesets.ts';

// Codes from the 2021 administrative units: Hà Nội 01 › Ba Đình 001 › Phúc Xá 00001, Trúc Bạch
// 00004; Hoàn Kiếm 002; Lai Châu 12.
const HANOI = { provinceCode: '01' };
const BA_DINH = { provinceCode: '01', districtCode: '001' };
const PHUC_XA = { provinceCode: '01', districtCode: '001', communeCode: '00001' };
const TRUC_BACH = { provinceCode: '01', districtCode: '001', communeCode: '00004' };
const LAI_CHAU = { provinceCode: '12' };

const area = (
  where: { provinceCode: string; districtCode?: string; communeCode?: string },
  level: number,
  validFrom: string,
  validTo: string | null = null,
): EpidemicArea => ({ ...where, level, validFrom, validTo });

/** Hà Nội at level 4 from 24/07/2021 (Chỉ thị 16), open-ended. */
const HANOI_L4 = area(HANOI, 4, '2021-07-24');

function input(over: Partial<ArrivalInput> = {}): ArrivalInput {
  return {
    entryDate: '2021-10-20',
    origin: HANOI,
    originName: 'Thành phố Hà Nội',
    epidemicAreas: [HANOI_L4],
    vaccination: { doses: 0 },
    symptoms: [],
    ...over,
  };
}

function decided(result: ClassifyResult): ArrivalDecision {
  if (!result.ok) throw new Error(`expected a decision, got ${JSON.stringify(result)}`);
  return result.decision;
}

const classify = (over: Partial<ArrivalInput> = {}, rulesets = DEFAULT_RULESETS) =>
  decided(classifyArrival(input(over), rulesets));

describe('CV 8399/BYT-MT (entry 20/10/2021, from Hà Nội at level 4)', () => {
  it('unvaccinated → centralised 14 + self-monitoring 14, tests days 1, 7, 14, exact texts', () => {
    const d = classify();
    expect(d).toMatchObject({
      action: 'centralised_quarantine',
      quarantineDays: 14,
      monitoringDays: 14,
      testDays: [1, 7, 14],
      testDates: ['2021-10-20', '2021-10-26', '2021-11-02'],
      testAtCheckpoint: false,
      isolate: false,
      quarantineEnds: '2021-11-02',
      monitoringEnds: '2021-11-16',
      rulesetId: 'arrival-cv8399-2021-10-06',
      ruleId: 'cv8399-unvaccinated',
      confidence: 'sure',
      legalBasis: { number: 'CV 8399/BYT-MT', date: '2021-10-06' },
    });
    expect(d.explanation.vi).toBe(
      'Về từ Thành phố Hà Nội (cấp độ 4), chưa tiêm vắc xin → cách ly tập trung 14 ngày + tự theo dõi 14 ngày (đến hết 16/11/2021); xét nghiệm ngày 1, 7, 14 (20/10/2021, 26/10/2021, 02/11/2021) — theo CV 8399/BYT-MT',
    );
    expect(d.explanation.en).toBe(
      'From Thành phố Hà Nội (level 4), unvaccinated → centralised quarantine 14 days + self-monitoring 14 days (until 16/11/2021); tests on days 1, 7, 14 (20/10/2021, 26/10/2021, 02/11/2021) — under CV 8399/BYT-MT',
    );
  });

  it('records the facts and the rules tried', () => {
    const d = classify();
    expect(d.facts).toMatchObject({
      entryDate: '2021-10-20',
      entryInstantAssumed: true,
      entryInstant: '2021-10-20T17:00:00.000Z',
      origin: {
        provinceCode: '01',
        districtCode: null,
        communeCode: null,
        name: 'Thành phố Hà Nội',
      },
      originArea: {
        unit: 'province',
        code: '01',
        level: 4,
        validFrom: '2021-07-24',
        validTo: null,
      },
      originLevel: 4,
      fromEpidemicArea: true,
      vaccination: { doses: 0, primarySeriesDoses: 2, status: 'none', reason: 'no_dose' },
      recoveredOn: null,
      lastTest: null,
      hasSymptoms: false,
    });
    expect(d.trace).toEqual([
      { ruleId: 'cv8399-positive-test', matched: false, unmet: ['positiveTest'] },
      { ruleId: 'cv8399-symptoms', matched: false, unmet: ['hasSymptoms'] },
      { ruleId: 'cv8399-full', matched: false, unmet: ['vaccination'] },
      { ruleId: 'cv8399-recovered', matched: false, unmet: ['recoveredWithinDays'] },
      { ruleId: 'cv8399-partial', matched: false, unmet: ['vaccination'] },
      { ruleId: 'cv8399-unvaccinated', matched: true, unmet: [] },
    ]);
  });

  it('last dose 14 days before entry → fully vaccinated → self-monitoring 7 days, test day 1', () => {
    const d = classify({ vaccination: { doses: 2, lastDoseDate: '2021-10-06' } });
    expect(d).toMatchObject({
      ruleId: 'cv8399-full',
      action: 'self_monitoring',
      quarantineDays: 0,
      monitoringDays: 7,
      testDays: [1],
      testDates: ['2021-10-20'],
      quarantineEnds: null,
      monitoringEnds: '2021-10-26',
    });
    expect(d.facts.vaccination).toMatchObject({
      status: 'full',
      reason: 'series_complete',
      daysSinceLastDose: 14,
    });
    expect(d.explanation.vi).toBe(
      'Về từ Thành phố Hà Nội (cấp độ 4), đã tiêm đủ liều vắc xin (mũi cuối ngày 06/10/2021) → tự theo dõi sức khỏe 7 ngày (đến hết 26/10/2021); xét nghiệm ngày 1 (20/10/2021) — theo CV 8399/BYT-MT',
    );
    expect(d.explanation.en).toBe(
      'From Thành phố Hà Nội (level 4), fully vaccinated (last dose 06/10/2021) → self-monitoring 7 days (until 26/10/2021); tests on days 1 (20/10/2021) — under CV 8399/BYT-MT',
    );
  });

  it('last dose 13 days before entry → partly vaccinated → home quarantine 7 + 7, tests days 1 and 7', () => {
    const d = classify({ vaccination: { doses: 2, lastDoseDate: '2021-10-07' } });
    expect(d).toMatchObject({
      ruleId: 'cv8399-partial',
      action: 'home_quarantine',
      quarantineDays: 7,
      monitoringDays: 7,
      testDays: [1, 7],
      testDates: ['2021-10-20', '2021-10-26'],
      quarantineEnds: '2021-10-26',
      monitoringEnds: '2021-11-02',
    });
    expect(d.facts.vaccination).toMatchObject({
      status: 'partial',
      reason: 'last_dose_too_recent',
      daysSinceLastDose: 13,
    });
    expect(d.explanation.vi).toBe(
      'Về từ Thành phố Hà Nội (cấp độ 4), tiêm 2/2 mũi vắc xin, mũi cuối ngày 07/10/2021 chưa đủ 14 ngày → cách ly tại nhà 7 ngày + tự theo dõi 7 ngày (đến hết 02/11/2021); xét nghiệm ngày 1, 7 (20/10/2021, 26/10/2021) — theo CV 8399/BYT-MT',
    );
    expect(d.explanation.en).toBe(
      'From Thành phố Hà Nội (level 4), 2 of 2 doses, the last on 07/10/2021, less than 14 days ago → home quarantine 7 days + self-monitoring 7 days (until 02/11/2021); tests on days 1, 7 (20/10/2021, 26/10/2021) — under CV 8399/BYT-MT',
    );
  });

  it('one dose of two → partly vaccinated', () => {
    const d = classify({ vaccination: { doses: 1, lastDoseDate: '2021-08-01' } });
    expect(d.ruleId).toBe('cv8399-partial');
    expect(d.explanation.vi).toContain('tiêm chưa đủ liều vắc xin (1/2 mũi)');
    expect(d.explanation.en).toContain('partly vaccinated (1 of 2 doses)');
  });

  it('Janssen: one dose is the whole primary series', () => {
    const j = { doses: 1, primarySeriesDoses: 1 };
    expect(classify({ vaccination: { ...j, lastDoseDate: '2021-10-06' } }).ruleId).toBe(
      'cv8399-full',
    );
    expect(classify({ vaccination: { ...j, lastDoseDate: '2021-10-07' } }).ruleId).toBe(
      'cv8399-partial',
    );
  });

  it('a booster counts as a complete series even when it is recent', () => {
    const d = classify({ vaccination: { doses: 3, lastDoseDate: '2021-10-18' } });
    expect(d.ruleId).toBe('cv8399-full');
    expect(d.facts.vaccination.reason).toBe('booster');
  });

  it('a complete series without the date of its last dose cannot be proven full', () => {
    const d = classify({ vaccination: { doses: 2 } });
    expect(d.ruleId).toBe('cv8399-partial');
    expect(d.facts.vaccination.reason).toBe('last_dose_date_unknown');
    expect(d.explanation.vi).toContain('tiêm 2/2 mũi vắc xin, không rõ ngày tiêm mũi cuối');
  });

  it('recovered 180 days before entry → self-monitoring; 181 days → not recovered', () => {
    const d = classify({ recoveredOn: '2021-04-23' });
    expect(d.facts.daysSinceRecovery).toBe(180);
    expect(d).toMatchObject({ ruleId: 'cv8399-recovered', action: 'self_monitoring' });
    expect(d.explanation.vi).toBe(
      'Về từ Thành phố Hà Nội (cấp độ 4), đã khỏi COVID-19 ngày 23/04/2021 (trong vòng 180 ngày) → tự theo dõi sức khỏe 7 ngày (đến hết 26/10/2021); xét nghiệm ngày 1 (20/10/2021) — theo CV 8399/BYT-MT',
    );
    const late = classify({ recoveredOn: '2021-04-22' });
    expect(late.facts.daysSinceRecovery).toBe(181);
    expect(late.ruleId).toBe('cv8399-unvaccinated');
  });

  it('recovered on the entry date counts; fully vaccinated and recovered → the vaccination rule, first', () => {
    expect(classify({ recoveredOn: '2021-10-20' }).ruleId).toBe('cv8399-recovered');
    expect(
      classify({
        recoveredOn: '2021-09-01',
        vaccination: { doses: 2, lastDoseDate: '2021-09-01' },
      }).ruleId,
    ).toBe('cv8399-full');
    expect(
      classify({ recoveredOn: '2021-09-01', vaccination: { doses: 1, lastDoseDate: '2021-09-01' } })
        .ruleId,
    ).toBe('cv8399-recovered');
  });

  it('not from an epidemic area → no measure (not listed, or level 1)', () => {
    const d = classify({ origin: LAI_CHAU, originName: 'Tỉnh Lai Châu' });
    expect(d).toMatchObject({
      ruleId: 'cv8399-not-epidemic-area',
      action: 'none',
      testDays: [],
      testDates: [],
      quarantineEnds: null,
      monitoringEnds: null,
    });
    expect(d.facts).toMatchObject({ originArea: null, originLevel: null, fromEpidemicArea: false });
    expect(d.explanation.vi).toBe(
      'Về từ Tỉnh Lai Châu, không thuộc vùng dịch → không áp dụng biện pháp cách ly, theo dõi — theo CV 8399/BYT-MT',
    );
    expect(d.explanation.en).toBe(
      'From Tỉnh Lai Châu, not an epidemic area → no quarantine or monitoring — under CV 8399/BYT-MT',
    );
    const green = classify({ epidemicAreas: [area(HANOI, 1, '2021-10-01')] });
    expect(green.ruleId).toBe('cv8399-not-epidemic-area');
    expect(green.facts).toMatchObject({ originLevel: 1, fromEpidemicArea: false });
    expect(green.explanation.vi).toMatch(
      /^Về từ Thành phố Hà Nội \(cấp độ 1\), không thuộc vùng dịch/,
    );
    expect(classify({ epidemicAreas: [area(HANOI, 2, '2021-10-01')] }).ruleId).toBe(
      'cv8399-unvaccinated',
    );
  });

  it('symptoms, from anywhere and whatever the vaccination → test at the checkpoint and isolate', () => {
    const d = classify({
      origin: LAI_CHAU,
      originName: 'Tỉnh Lai Châu',
      vaccination: { doses: 2, lastDoseDate: '2021-08-01' },
      symptoms: ['fever', 'cough'],
    });
    expect(d).toMatchObject({
      ruleId: 'cv8399-symptoms',
      action: 'test_at_checkpoint',
      testAtCheckpoint: true,
      isolate: true,
      testDays: [1],
      testDates: ['2021-10-20'],
      confidence: 'reconstructed',
    });
    expect(d.explanation.vi).toBe(
      'Về từ Tỉnh Lai Châu, có triệu chứng (sốt, ho) → test nhanh tại chốt và cách ly tạm thời, chuyển cơ sở y tế; phân loại lại theo kết quả xét nghiệm — theo CV 8399/BYT-MT',
    );
    expect(d.explanation.en).toBe(
      'From Tỉnh Lai Châu, with symptoms (fever, cough) → rapid test at the checkpoint and temporary isolation, referral to a health facility; reclassify on the test result — under CV 8399/BYT-MT',
    );
    expect(classify({ symptoms: ['đau đầu'] }).explanation.vi).toContain('(đau đầu)');
    expect(classify({ symptoms: ['fever'] }).ruleId).toBe('cv8399-symptoms');
    expect(classify({ symptoms: ['  ', ''] }).ruleId).toBe('cv8399-unvaccinated');
  });

  it('computes test dates across the end of a year and 29 February', () => {
    const y = classify({ entryDate: '2021-12-25' });
    expect(y.testDates).toEqual(['2021-12-25', '2021-12-31', '2022-01-07']);
    expect(y.quarantineEnds).toBe('2022-01-07');
    expect(y.monitoringEnds).toBe('2022-01-21');
    expect(y.explanation.vi).toContain(
      '(đến hết 21/01/2022); xét nghiệm ngày 1, 7, 14 (25/12/2021, 31/12/2021, 07/01/2022)',
    );
    const leap = classify({
      entryDate: '2024-02-23',
      vaccination: { doses: 1, lastDoseDate: '2024-01-01' },
    });
    expect(leap.testDates).toEqual(['2024-02-23', '2024-02-29']);
    expect(leap.quarantineEnds).toBe('2024-02-29');
    expect(leap.monitoringEnds).toBe('2024-03-07');
  });
});

describe('epidemic areas on the entry date', () => {
  it('a level that changes on the entry date: the level valid that day counts', () => {
    // Hà Nội level 4 until 19/10 (the day before), level 2 from 20/10 (the entry date).
    const areas = [area(HANOI, 4, '2021-07-24', '2021-10-19'), area(HANOI, 2, '2021-10-20')];
    expect(classify({ epidemicAreas: areas }).facts.originLevel).toBe(2);
    expect(classify({ epidemicAreas: areas, entryDate: '2021-10-19' }).facts.originLevel).toBe(4);
    // Level 4 valid to the entry date itself (inclusive), level 2 only from the next day.
    const later = [area(HANOI, 4, '2021-07-24', '2021-10-20'), area(HANOI, 2, '2021-10-21')];
    expect(classify({ epidemicAreas: later }).facts.originLevel).toBe(4);
    expect(classify({ epidemicAreas: later, entryDate: '2021-10-21' }).facts.originLevel).toBe(2);
    // Both cover the entry date: the more recent assessment wins.
    const overlap = [area(HANOI, 4, '2021-07-24', '2021-10-20'), area(HANOI, 2, '2021-10-20')];
    expect(classify({ epidemicAreas: overlap }).facts.originLevel).toBe(2);
  });

  it('an area without validTo (left out of JSON) is open-ended', () => {
    const open = { provinceCode: '01', level: 3, validFrom: '2021-07-24' } as EpidemicArea;
    expect(classify({ epidemicAreas: [open] }).facts.originArea).toMatchObject({
      level: 3,
      validTo: null,
    });
  });

  it('an area that has not started or has ended does not count', () => {
    expect(classify({ epidemicAreas: [area(HANOI, 4, '2021-10-21')] }).facts.originArea).toBeNull();
    expect(
      classify({ epidemicAreas: [area(HANOI, 4, '2021-07-24', '2021-10-19')] }).facts.originArea,
    ).toBeNull();
  });

  it('the most specific area wins: a commune at level 2 inside a district at level 4', () => {
    const areas = [
      area(HANOI, 3, '2021-07-24'),
      area(BA_DINH, 4, '2021-07-24'),
      area(PHUC_XA, 2, '2021-07-24'),
    ];
    const at = (origin: ArrivalInput['origin']) => mostSpecificArea(origin, areas, '2021-08-10');
    expect(at(PHUC_XA)).toMatchObject({ unit: 'commune', code: '00001', level: 2 });
    expect(at(TRUC_BACH)).toMatchObject({ unit: 'district', code: '001', level: 4 });
    expect(at(BA_DINH)).toMatchObject({ unit: 'district', code: '001', level: 4 });
    expect(at({ provinceCode: '01', districtCode: '002' })).toMatchObject({
      unit: 'province',
      level: 3,
    });
    expect(at(HANOI)).toMatchObject({ unit: 'province', level: 3 });
    // Listed in any order.
    expect(mostSpecificArea(PHUC_XA, [...areas].reverse(), '2021-08-10')?.level).toBe(2);
    // A district code under another province does not match.
    expect(
      mostSpecificArea({ provinceCode: '12', districtCode: '001' }, areas, '2021-08-10'),
    ).toBeNull();
  });

  it('… and decides the measure (Điện Biên 07/2021: level 2 self-monitoring, level 4 centralised)', () => {
    const areas = [area(BA_DINH, 4, '2021-07-24'), area(PHUC_XA, 2, '2021-07-24')];
    const common = { entryDate: '2021-08-10', epidemicAreas: areas };
    const phucXa = classify({ ...common, origin: PHUC_XA, originName: 'Phường Phúc Xá' });
    expect(phucXa).toMatchObject({ ruleId: 'db2021-level2-untested', action: 'self_monitoring' });
    const trucBach = classify({ ...common, origin: TRUC_BACH, originName: 'Phường Trúc Bạch' });
    expect(trucBach).toMatchObject({ ruleId: 'db2021-level4', action: 'centralised_quarantine' });
  });
});

describe('rule sets by entry date', () => {
  const vaccinated = { vaccination: { doses: 2, lastDoseDate: '2021-06-01' } };

  it('no rule set in force → a clear answer, not a decision', () => {
    const r = classifyArrival(input({ entryDate: '2021-06-30' }), DEFAULT_RULESETS);
    expect(r).toEqual({
      ok: false,
      reason: 'no_ruleset_in_force',
      date: '2021-06-30',
      message: {
        vi: 'Không có bộ quy tắc phân loại người đến nào có hiệu lực ngày 30/06/2021',
        en: 'No arrival classification rule set is in force on 2021-06-30',
      },
    });
    expect(classifyArrival(input(), [])).toMatchObject({
      ok: false,
      reason: 'no_ruleset_in_force',
    });
  });

  it.each([
    ['2021-07-01', 'arrival-dienbien-2021-07', 'db2021-level4', 'centralised_quarantine'],
    ['2021-10-05', 'arrival-dienbien-2021-07', 'db2021-level4', 'centralised_quarantine'],
    ['2021-10-06', 'arrival-cv8399-2021-10-06', 'cv8399-full', 'self_monitoring'],
  ])('entry on %s → %s', (entryDate, rulesetId, ruleId, action) => {
    const d = classify({
      ...vaccinated,
      entryDate,
      epidemicAreas: [area(HANOI, 4, '2021-06-01')],
    });
    expect(d).toMatchObject({ rulesetId, ruleId, action });
  });
});

describe('Điện Biên 07/2021 (reconstructed)', () => {
  const entryDate = '2021-08-10';
  const base = { entryDate, epidemicAreas: [HANOI_L4] };
  const level3 = { entryDate, epidemicAreas: [area(HANOI, 3, '2021-07-01')] };
  const rapid = (date: string) => ({ type: 'rapid' as const, date, result: 'negative' as const });

  it('level 4 (Chỉ thị 16) → centralised 14 + home monitoring 14, exact texts', () => {
    const d = classify(base);
    expect(d).toMatchObject({
      rulesetId: 'arrival-dienbien-2021-07',
      ruleId: 'db2021-level4',
      action: 'centralised_quarantine',
      quarantineDays: 14,
      monitoringDays: 14,
      testDates: ['2021-08-10', '2021-08-16', '2021-08-23'],
      quarantineEnds: '2021-08-23',
      monitoringEnds: '2021-09-06',
      legalBasis: { number: 'CV 2106/UBND-KGVX', date: '2021-07-08' },
      confidence: 'reconstructed',
    });
    expect(d.explanation.vi).toBe(
      'Về từ Thành phố Hà Nội (cấp độ 4), vùng giãn cách xã hội (Chỉ thị 16) → cách ly tập trung 14 ngày + theo dõi sức khỏe tại nhà 14 ngày (đến hết 06/09/2021); xét nghiệm ngày 1, 7, 14 (10/08/2021, 16/08/2021, 23/08/2021) — theo CV 2106/UBND-KGVX',
    );
    expect(d.explanation.en).toBe(
      'From Thành phố Hà Nội (level 4), under social distancing (Directive 16) → centralised quarantine 14 days + home health monitoring 14 days (until 06/09/2021); tests on days 1, 7, 14 (10/08/2021, 16/08/2021, 23/08/2021) — under CV 2106/UBND-KGVX',
    );
    // Stricter than CV 8399: vaccination and a negative test do not change it.
    expect(
      classify({
        ...base,
        vaccination: { doses: 2, lastDoseDate: '2021-06-01' },
        lastTest: rapid('2021-08-09T08:00'),
      }).ruleId,
    ).toBe('db2021-level4');
  });

  it('test dates cross a month end', () => {
    const d = classify({ ...base, entryDate: '2021-08-25' });
    expect(d.testDates).toEqual(['2021-08-25', '2021-08-31', '2021-09-07']);
    expect(d.monitoringEnds).toBe('2021-09-21');
  });

  it('a negative test 72 h before entry is valid; 72 h and one minute is not', () => {
    const entryAt = '2021-08-10T09:00:00+07:00';
    const ok = classify({ ...level3, entryAt, lastTest: rapid('2021-08-07T09:00:00+07:00') });
    expect(ok).toMatchObject({ ruleId: 'db2021-level3', testAtCheckpoint: false });
    expect(ok.facts.lastTest?.hoursBeforeEntry).toBe(72);
    expect(ok.facts.entryInstantAssumed).toBe(false);
    expect(ok.explanation.vi).toBe(
      'Về từ Thành phố Hà Nội (cấp độ 3), vùng có dịch → cách ly tại nhà 14 ngày (đến hết 23/08/2021); xét nghiệm ngày 1, 7, 14 (10/08/2021, 16/08/2021, 23/08/2021) — theo CV 2106/UBND-KGVX',
    );
    const stale = classify({ ...level3, entryAt, lastTest: rapid('2021-08-07T08:59:00+07:00') });
    expect(stale).toMatchObject({
      ruleId: 'db2021-level3-untested',
      action: 'home_quarantine',
      testAtCheckpoint: true,
      quarantineEnds: '2021-08-23',
      monitoringEnds: null,
    });
    expect(stale.facts.lastTest?.hoursBeforeEntry).toBeCloseTo(72 + 1 / 60, 10);
    expect(stale.explanation.vi).toBe(
      'Về từ Thành phố Hà Nội (cấp độ 3), vùng có dịch, không có kết quả xét nghiệm âm tính trong 72 giờ → test nhanh tại chốt (CV 2299/UBND-KGVX); cách ly tại nhà 14 ngày (đến hết 23/08/2021); xét nghiệm ngày 1, 7, 14 (10/08/2021, 16/08/2021, 23/08/2021) — theo CV 2106/UBND-KGVX',
    );
  });

  it('without an entry time, the test age is taken at the end of the entry day', () => {
    // Entry 10/08: end of day = 11/08 00:00 Vietnam time; 72 h earlier = 08/08 00:00.
    expect(classify({ ...level3, lastTest: rapid('2021-08-08T00:00:00+07:00') }).ruleId).toBe(
      'db2021-level3',
    );
    expect(classify({ ...level3, lastTest: rapid('2021-08-07T23:59:00+07:00') }).ruleId).toBe(
      'db2021-level3-untested',
    );
    // No offset: read as Vietnam time, never as the machine's.
    expect(classify({ ...level3, lastTest: rapid('2021-08-08T00:00') }).ruleId).toBe(
      'db2021-level3',
    );
    expect(classify({ ...level3, lastTest: rapid('2021-08-07T16:59:00Z') }).ruleId).toBe(
      'db2021-level3-untested',
    );
  });

  it('a positive test within 72 h isolates and calls for RT-PCR; an older one is no valid negative test', () => {
    const positive = classify({
      ...level3,
      entryAt: '2021-08-10T09:00',
      lastTest: { type: 'rapid', date: '2021-08-10T08:45', result: 'positive' },
    });
    expect(positive).toMatchObject({
      ruleId: 'dienbien-2021-07-positive-test',
      action: 'test_at_checkpoint',
      isolate: true,
    });
    expect(positive.explanation.vi).toContain('dương tính');
    // 72 hours is the window: a positive PCR 73 hours before entry no longer decides
    expect(
      classify({
        ...level3,
        entryAt: '2021-08-10T09:00',
        lastTest: { type: 'pcr', date: '2021-08-07T08:00', result: 'positive' },
      }).ruleId,
    ).toBe('db2021-level3-untested');
    expect(
      classify({
        ...level3,
        entryAt: '2021-08-10T09:00',
        lastTest: { type: 'pcr', date: '2021-08-07T09:00', result: 'positive' },
      }).ruleId,
    ).toBe('dienbien-2021-07-positive-test');
    const entryAt = '2021-08-10T09:00';
    expect(classify({ ...level3, entryAt, lastTest: rapid('2021-08-10T10:00') }).ruleId).toBe(
      'db2021-level3-untested',
    );
    expect(
      classify({
        ...level3,
        entryAt,
        lastTest: { type: 'pcr', date: '2021-08-09T08:00', result: 'negative' },
      }).ruleId,
    ).toBe('db2021-level3');
  });

  it('level 2 → self-monitoring 14 days, with a rapid test at the checkpoint when untested', () => {
    const level2 = { entryDate, epidemicAreas: [area(HANOI, 2, '2021-07-01')] };
    const untested = classify(level2);
    expect(untested).toMatchObject({
      ruleId: 'db2021-level2-untested',
      action: 'self_monitoring',
      monitoringDays: 14,
      testDays: [1],
      testDates: ['2021-08-10'],
      testAtCheckpoint: true,
      monitoringEnds: '2021-08-23',
    });
    expect(untested.explanation.vi).toBe(
      'Về từ Thành phố Hà Nội (cấp độ 2), không có kết quả xét nghiệm âm tính trong 72 giờ → test nhanh tại chốt (CV 2299/UBND-KGVX); tự theo dõi sức khỏe 14 ngày (đến hết 23/08/2021) — theo CV 2106/UBND-KGVX',
    );
    const tested = classify({ ...level2, lastTest: rapid('2021-08-09T08:00') });
    expect(tested).toMatchObject({
      ruleId: 'db2021-level2',
      testDays: [],
      testAtCheckpoint: false,
    });
  });

  it('not from an epidemic area: rapid test at the checkpoint without a valid test, else nothing', () => {
    const laiChau = { entryDate, origin: LAI_CHAU, originName: 'Tỉnh Lai Châu' };
    const untested = classify(laiChau);
    expect(untested).toMatchObject({
      ruleId: 'db2021-untested',
      action: 'test_at_checkpoint',
      testAtCheckpoint: true,
      isolate: false,
      legalBasis: { number: 'CV 2299/UBND-KGVX', date: '2021-07-23' },
    });
    expect(untested.explanation.vi).toBe(
      'Về từ Tỉnh Lai Châu, không có kết quả xét nghiệm âm tính trong 72 giờ → test nhanh tại chốt — theo CV 2299/UBND-KGVX',
    );
    expect(untested.explanation.en).toBe(
      'From Tỉnh Lai Châu, no negative test within 72 hours → rapid test at the checkpoint — under CV 2299/UBND-KGVX',
    );
    const tested = classify({ ...laiChau, lastTest: rapid('2021-08-09T08:00') });
    expect(tested).toMatchObject({ ruleId: 'db2021-fallback', action: 'none' });
    expect(tested.explanation.vi).toBe(
      'Về từ Tỉnh Lai Châu, không thuộc vùng dịch, có kết quả xét nghiệm âm tính còn hiệu lực → không áp dụng biện pháp cách ly, theo dõi — theo CV 2106/UBND-KGVX',
    );
  });

  it('symptoms come first here too', () => {
    const d = classify({ ...base, symptoms: ['shortness_of_breath'] });
    expect(d).toMatchObject({ ruleId: 'db2021-symptoms', isolate: true });
    expect(d.explanation.vi).toContain('có triệu chứng (khó thở)');
  });
});

describe('rule sets are data', () => {
  const edited = (): ArrivalRuleSet => JSON.parse(JSON.stringify(RULESET_CV8399));

  it('a newer rule set an administrator adds takes over from its validFrom', () => {
    const newer = edited();
    newer.id = 'arrival-custom-2021-11-01';
    newer.validFrom = '2021-11-01';
    const rule = newer.rules.find((r) => r.id === 'cv8399-unvaccinated')!;
    rule.then.action = 'home_quarantine';
    rule.then.explanation.vi =
      'Về từ {origin}, {vaccination} → cách ly tại nhà {quarantineDays} ngày — theo {basis}';
    const sets = [...DEFAULT_RULESETS, newer];
    expect(classify({}, sets).rulesetId).toBe('arrival-cv8399-2021-10-06');
    const d = classify({ entryDate: '2021-11-01' }, sets);
    expect(d).toMatchObject({ rulesetId: 'arrival-custom-2021-11-01', action: 'home_quarantine' });
    expect(d.explanation.vi).toBe(
      'Về từ Thành phố Hà Nội (cấp độ 4), chưa tiêm vắc xin → cách ly tại nhà 14 ngày — theo CV 8399/BYT-MT',
    );
  });

  it('the 14 days that make a series "full" come from the rule set', () => {
    const seven = edited();
    seven.definitions.fullyVaccinatedAfterDays = 7;
    const v = { vaccination: { doses: 2, lastDoseDate: addDays('2021-10-20', -7) } };
    expect(classify(v).ruleId).toBe('cv8399-partial');
    expect(classify(v, [seven]).ruleId).toBe('cv8399-full');
  });

  it('a rule set without a fallback that matches nothing says so', () => {
    const broken = edited();
    broken.rules = broken.rules.filter((r) => r.id === 'cv8399-full');
    expect(classifyArrival(input(), [broken])).toMatchObject({
      ok: false,
      reason: 'no_rule_matched',
      rulesetId: 'arrival-cv8399-2021-10-06',
    });
  });

  it('the decision does not depend on the machine time zone', () => {
    const before = process.env.TZ;
    const results: unknown[] = [];
    for (const tz of ['Asia/Ho_Chi_Minh', 'America/Los_Angeles', 'Pacific/Kiritimati', 'UTC']) {
      process.env.TZ = tz;
      results.push(
        classify({
          ...{ entryDate: '2021-08-10', epidemicAreas: [area(HANOI, 3, '2021-07-01')] },
          lastTest: { type: 'rapid', date: '2021-08-08T00:00', result: 'negative' },
        }),
      );
    }
    process.env.TZ = before;
    for (const r of results) expect(r).toEqual(results[0]);
  });
});

describe('invalid input', () => {
  const issues = (over: Partial<ArrivalInput>) => {
    const r = classifyArrival(input(over), DEFAULT_RULESETS);
    if (r.ok || r.reason !== 'invalid_input')
      throw new Error(`expected invalid_input: ${JSON.stringify(r)}`);
    return r.issues.map((i) => i.path);
  };

  it('names the field', () => {
    expect(issues({ entryDate: '2021-02-29' })).toEqual(['entryDate']);
    expect(issues({ entryAt: '2021-10-21T08:00+07:00' })).toEqual(['entryAt']);
    expect(issues({ entryAt: 'yesterday' })).toEqual(['entryAt']);
    expect(issues({ vaccination: { doses: 2, lastDoseDate: '2021-10-21' } })).toEqual([
      'vaccination.lastDoseDate',
    ]);
    expect(issues({ vaccination: { doses: -1 } })).toEqual(['vaccination.doses']);
    expect(issues({ vaccination: { doses: 1, primarySeriesDoses: 0 } })).toEqual([
      'vaccination.primarySeriesDoses',
    ]);
    expect(issues({ recoveredOn: '2021-10-21' })).toEqual(['recoveredOn']);
    expect(issues({ epidemicAreas: [area(HANOI, 5, '2021-07-24')] })).toEqual([
      'epidemicAreas[0].level',
    ]);
    expect(
      issues({ lastTest: { type: 'rapid', date: '2021-13-01T08:00', result: 'negative' } }),
    ).toEqual(['lastTest.date']);
    expect(issues({ originName: ' ' })).toEqual(['originName']);
  });

  it('accepts an entry time late on the entry day in Vietnam time (already the next day in UTC)', () => {
    expect(classify({ entryAt: '2021-10-20T23:30:00+07:00' }).facts.entryInstant).toBe(
      '2021-10-20T16:30:00.000Z',
    );
  });
});
