import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arrivalInputFrom, fromQrFacts } from '../../src/domain/arrival-facts.ts';
import { dateOfInstant } from '../../src/domain/dates.ts';
import { decodeDeclarationQr } from '../../src/domain/declaration.ts';
import { classifyArrival } from '../../src/domain/entry.ts';
import { ENGINE, startTestApp, type TestApp } from '../helpers/app.ts';

/**
 * Issue 16 item 1: what the checkpoint phone caches (rule sets, areas) and reads from the QR
 * decides an arrival as the server does.
 */
const COMMUNE = '03136';
const today = dateOfInstant(Date.now());
let t: TestApp;
let officer: string;
let commune: string;

beforeAll(async () => {
  t = await startTestApp();
  const admin = await t.login('admin');
  const site = await t.as(admin, 'POST', '/api/v1/sites', {
    kind: 'checkpoint',
    name: 'Chốt (pack)',
    communeCode: COMMUNE,
  });
  expect(site.statusCode, site.body).toBe(201);
  officer = await t.staff('pack.chot', 'checkpoint_officer', {
    level: 'site',
    siteId: site.json().id,
  });
  commune = await t.staff('pack.xa', 'commune_health', { level: 'commune', unitCode: COMMUNE });
  const province = await t.staff('pack.tinh', 'province', { level: 'province', unitCode: '11' });
  const area = await t.as(province, 'POST', '/api/v1/epidemic-areas', {
    unitCode: '01',
    level: 4,
    validFrom: today,
  });
  expect(area.statusCode, area.body).toBe(201);
});
afterAll(() => t?.close());

describe(`checkpoint offline pack on ${ENGINE}`, () => {
  it('the phone decides from the pack and the QR as the server decides the entry', async () => {
    const pack = await t.as(officer, 'GET', '/api/v1/entries/offline-pack');
    expect(pack.statusCode, pack.body).toBe(200);
    const p = pack.json();
    expect(p.rulesets.length).toBeGreaterThan(0);
    expect(p.areas).toContainEqual(expect.objectContaining({ provinceCode: '01', level: 4 }));
    expect(p.unitNames['01']).toBe('Thành phố Hà Nội');
    const decl = await t.as(null, 'POST', '/api/v1/declarations', {
      person: { fullName: 'Lường Văn Hải', birthYear: 1988, sex: 'male', communeCode: '00001' },
      travel: { mode: 'coach', fromProvinceCode: '01', toCommuneCode: COMMUNE, date: today },
      exposure: { caseContact: false, fromOutbreakArea: false, symptomaticContact: false },
      vaccination: { doses: 0 },
      consent: true,
    });
    expect(decl.statusCode, decl.body).toBe(201);
    const qr = decl.json().qr as string;
    const decoded = decodeDeclarationQr(qr);
    expect(decoded.ok).toBe(true);
    const facts = decoded.ok ? fromQrFacts(decoded.value.payload.f) : null;
    expect(facts?.originName).toBe('Thành phố Hà Nội');
    const at = new Date().toISOString();
    const phone = classifyArrival(arrivalInputFrom(facts!, at, today, null, p.areas), p.rulesets);
    const entry = await t.as(officer, 'POST', '/api/v1/entries', {
      clientId: crypto.randomUUID(),
      at,
      direction: 'in',
      qr,
      companions: 0,
    });
    expect(entry.statusCode, entry.body).toBe(201);
    const c = entry.json().classification;
    expect(phone.ok).toBe(true);
    if (phone.ok) {
      expect(c).toMatchObject({
        rulesetId: phone.decision.rulesetId,
        ruleId: phone.decision.ruleId,
      });
      expect(c.automatic.action).toBe(phone.decision.action);
      expect(c.explanation).toEqual(phone.decision.explanation);
    }
  });

  it('a user who does not record entries does not get the pack', async () => {
    const r = await t.as(commune, 'GET', '/api/v1/entries/offline-pack');
    expect([403, 404]).toContain(r.statusCode);
  });
});
