/**
 * Issue 13, items 1 and 4 in a real browser. A Hà Nội resident comes to Phường Mường Thanh by
 * coach with two people of the commune; one of them is already F0. The arrival is tested at the
 * commune and found positive. The commune health officer, on a 360×740 phone, finds the case in
 * the commune's list, reads it (managed here, home address in Hà Nội), sees the other traveller as
 * an F1 candidate and the existing F0 as "already F0", and opens the arrival's person page.
 * Screenshots: test-results/e2e/arrival-*.png.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type E2E, login, screenshots, startE2E, watch } from '../helpers/e2e.ts';

const A = '03136'; // Phường Mường Thanh, TP Điện Biên Phủ
const HOME = '00001'; // Phường Phúc Xá, Ba Đình, Hà Nội
const PASSWORD = 'mat-khau-noi-quan-ly-13';
const PHONE_360 = { width: 360, height: 740 };
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test code reads what it expects
type Json = Record<string, any>;

let e: E2E;
const { shot } = screenshots('arrival-');
const stamp = Date.now().toString(36).slice(-5);
const username = `tyt.mt.den.${stamp}`;
const T = Date.now();
const ago = (h: number, m = 0) => new Date(T - (h * 60 + m) * 60_000).toISOString();
const today = new Date(T + 7 * 3_600_000).toISOString().slice(0, 10);
const people: Record<string, { personId: string; code: string }> = {};
let caseId = '';

beforeAll(async () => {
  e = await startE2E();
  const admin = await e.apiLogin('admin', e.server.adminPassword);
  const ok = (r: { status: number; json: unknown }, status = 201) =>
    expect(r.status, JSON.stringify(r.json)).toBe(status);
  const site = async (kind: string, name: string) => {
    const r = await e.call(admin, 'POST', '/api/v1/sites', { kind, name, communeCode: A });
    ok(r);
    return r.json.id as string;
  };
  const checkpoint = await site('checkpoint', 'Chốt Tà Lèng');
  const labSite = await site('lab', 'CDC Điện Biên');
  const mkUser = async (u: string, role: string, jurisdiction: Json) => {
    ok(
      await e.call(admin, 'POST', '/api/v1/users', {
        username: u,
        fullName: u,
        role,
        jurisdiction,
        password: PASSWORD,
      }),
    );
    return e.apiLogin(u, PASSWORD);
  };
  const officer = await mkUser(username, 'commune_health', { level: 'commune', unitCode: A });
  const chot = await mkUser(`chot.tl.${stamp}`, 'checkpoint_officer', {
    level: 'site',
    siteId: checkpoint,
  });
  const lab = await mkUser(`lab.cdc.${stamp}`, 'lab', { level: 'site', siteId: labSite });

  let seq = 10;
  for (const [key, fullName, home] of [
    ['arrival', 'Trần Thị Về Quê', HOME],
    ['f0', 'Lò Văn Đã Ốm', A],
    ['f1', 'Quàng Thị Cùng Xe', A],
  ] as const) {
    const r = await e.call(null, 'POST', '/api/v1/declarations', {
      person: {
        fullName,
        birthYear: 1991,
        sex: 'female',
        idType: 'cccd',
        idNumber: `0011910${stamp.replace(/\D/g, '').padEnd(3, '0').slice(0, 3)}${seq++}`,
        communeCode: home,
      },
      travel: { mode: 'coach', fromProvinceCode: '01', toCommuneCode: A, date: today },
      visitedProvinces: ['01'],
      symptoms: [],
      exposure: { caseContact: false, fromOutbreakArea: false, symptomaticContact: false },
      vaccination: { doses: 0 },
      consent: true,
    });
    ok(r);
    people[key] = { personId: r.json.personId ?? r.json.person?.id, code: r.json.code };
    // all three on the same coach through the checkpoint
    const entry = await e.call(chot, 'POST', '/api/v1/entries', {
      clientId: randomUUID(),
      direction: 'in',
      declarationCode: r.json.code,
      at: ago(10, -seq),
      vehicle: { plate: '27B-013.13', type: 'coach' },
    });
    ok(entry);
    people[key]!.personId = entry.json.personId ?? people[key]!.personId;
  }
  // one of them was found positive last week and is an open case
  ok(
    await e.call(officer, 'POST', '/api/v1/cases', {
      personId: people.f0!.personId,
      positiveSampleAt: ago(30),
      foundBy: 'community',
      basis: 'pcr_positive',
    }),
  );
  // the arrival is tested by the commune where she is and found positive
  const order = await e.call(officer, 'POST', '/api/v1/test-orders', {
    clientId: randomUUID(),
    personId: people.arrival!.personId,
    testType: 'rt_pcr',
    reason: 'follow_up',
    labSiteId: labSite,
  });
  ok(order);
  const specimen = await e.call(officer, 'POST', '/api/v1/specimens', {
    clientId: randomUUID(),
    orderId: order.json.id,
    sampledAt: ago(3),
  });
  ok(specimen);
  const result = await e.call(lab, 'POST', '/api/v1/results', {
    clientId: randomUUID(),
    specimenId: specimen.json.id,
    result: 'positive',
    resultedAt: ago(1),
  });
  ok(result);
  caseId = result.json.f0.caseId;
  expect(caseId).toBeTruthy();
}, 240_000);
afterAll(() => e?.close());

describe('an arrival found positive is managed where she is', () => {
  test('the commune reads her case, its F1 and the traveller already F0 (phone 360×740)', async () => {
    const context = await e.newContext(PHONE_360);
    const page = await context.newPage();
    const errors = watch(page);
    await login(page, username, PASSWORD);

    await page.goto('/ca-benh');
    await page.getByText('Trần Thị Về Quê').first().waitFor();
    await shot(page, '01-cases-list');

    await page.goto(`/ca-benh/${caseId}`);
    await page.getByTestId('case-home').waitFor();
    expect(await page.getByTestId('case-home').innerText()).toContain('Hà Nội');
    expect(await page.getByTestId('case-fields').innerText()).toContain('Mường Thanh');
    const f1 = page.getByTestId('f1-list');
    await f1.getByText('Quàng Thị Cùng Xe').waitFor();
    expect(await f1.innerText()).not.toContain('Lò Văn Đã Ốm');
    const already = page.getByTestId('already-f0-list');
    await already.getByText('Lò Văn Đã Ốm').waitFor();
    expect(await already.innerText()).toContain('Đã là F0');
    await shot(page, '02-case-detail');

    await page.goto(`/nguoi-dan/${people.arrival!.personId}`);
    await page.getByRole('heading', { name: 'Trần Thị Về Quê' }).waitFor();
    await shot(page, '03-person');
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);
});
