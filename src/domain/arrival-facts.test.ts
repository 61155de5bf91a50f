import { describe, expect, it } from 'vitest';
import { arrivalInputFrom, fromQrFacts, toQrFacts, type DeclaredFacts } from './arrival-facts.ts';
import { decodeDeclarationQr, encodeDeclarationQr } from './declaration.ts';
import { classifyArrival, type EpidemicArea } from './entry.ts';
import { DEFAULT_RULESETS } from './rulesets.ts';

const HANOI_L4: EpidemicArea = {
  provinceCode: '01',
  level: 4,
  validFrom: '2021-07-24',
  validTo: null,
};
const facts = (over: Partial<DeclaredFacts> = {}): DeclaredFacts => ({
  origin: { provinceCode: '01', districtCode: '001', communeCode: null },
  originName: 'Quận Ba Đình',
  vaccination: { doses: 2, lastDoseDate: '2021-09-01' },
  lastTest: { type: 'pcr', date: '2021-10-19T08:00:00+07:00', result: 'negative' },
  symptoms: [],
  ...over,
});
const AT = '2021-10-20T03:00:00.000Z'; // 10:00 in Vietnam

describe('declared facts through the QR (issue 16 item 1)', () => {
  it('survive the signed QR payload unchanged, nulls included', () => {
    for (const f of [
      facts(),
      facts({ vaccination: null, lastTest: null, symptoms: ['fever', 'cough'] }),
      facts({ origin: { provinceCode: '01', districtCode: '001', communeCode: '00001' } }),
    ]) {
      const text = encodeDeclarationQr(
        {
          v: 1,
          c: 'F9JZXRBZ',
          n: 'LO VAN PAO',
          y: 1990,
          p: '11',
          d: '2021-10-18',
          e: '2021-11-01',
          f: toQrFacts(f),
        },
        new Uint8Array(64),
      );
      const decoded = decodeDeclarationQr(text);
      expect(decoded.ok).toBe(true);
      if (decoded.ok) expect(fromQrFacts(decoded.value.payload.f)).toEqual(f);
    }
  });

  it('a code signed before the facts, or malformed facts, gives null (not a wrong decision)', () => {
    expect(fromQrFacts(undefined)).toBeNull();
    expect(fromQrFacts({ o: ['01', null], on: 'x' })).toBeNull();
    expect(
      fromQrFacts({ o: ['01', null, null], on: 'x', t: ['lamp', 'd', 'negative'] }),
    ).toBeNull();
    expect(fromQrFacts({ o: ['01', null, null], on: 'x', vd: [1.5, null] })).toBeNull();
    expect(fromQrFacts({ o: ['01', null, null], on: 'x', s: [1] })).toBeNull();
  });

  it('the phone and the server decide alike: the same input from the QR as from the stored facts', () => {
    const f = facts({ vaccination: null });
    const fromQr = fromQrFacts(JSON.parse(JSON.stringify(toQrFacts(f))))!;
    const a = classifyArrival(
      arrivalInputFrom(f, AT, '2021-10-20', null, [HANOI_L4]),
      DEFAULT_RULESETS,
    );
    const b = classifyArrival(
      arrivalInputFrom(fromQr, AT, '2021-10-20', null, [HANOI_L4]),
      DEFAULT_RULESETS,
    );
    expect(b).toEqual(a);
    expect(a.ok && a.decision.action).toBe('centralised_quarantine');
  });

  it('a rapid test on the spot replaces the declared test; without one the declared test counts', () => {
    const f = facts();
    expect(arrivalInputFrom(f, AT, '2021-10-20', 'positive', []).lastTest).toEqual({
      type: 'rapid',
      date: AT,
      result: 'positive',
    });
    expect(arrivalInputFrom(f, AT, '2021-10-20', null, []).lastTest).toEqual(f.lastTest);
  });
});
