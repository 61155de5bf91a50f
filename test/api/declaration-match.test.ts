import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dateOfInstant } from '../../src/domain/dates.ts';
import { ENGINE, startTestApp, type TestApp } from '../helpers/app.ts';

/**
 * Issue 10, item 2: a declaration made without login carrying someone's ID number does not take
 * over that person. It stands for a record of its own until an officer at the checkpoint sees
 * both and confirms; only then do its entries join the registered person.
 */
const today = dateOfInstant(Date.now());
const VICTIM_ID = '001085054321';
let t: TestApp;
let officer: string;

const declaration = (person: Record<string, unknown>) => ({
  person: { birthYear: 1985, sex: 'male', idType: 'cccd', communeCode: '00001', ...person },
  travel: {
    mode: 'coach',
    fromProvinceCode: '01',
    fromDistrictCode: '001',
    toCommuneCode: '03136',
    date: today,
  },
  visitedProvinces: ['01'],
  symptoms: [],
  exposure: { caseContact: false, fromOutbreakArea: false, symptomaticContact: false },
  vaccination: { doses: 0 },
  consent: true,
});

beforeAll(async () => {
  t = await startTestApp();
  const admin = await t.login('admin');
  const site = await t.as(admin, 'POST', '/api/v1/sites', {
    kind: 'checkpoint',
    name: 'Chốt đối chiếu (test)',
    communeCode: '03136',
  });
  const u = await t.as(admin, 'POST', '/api/v1/users', {
    username: 'chot.match',
    fullName: 'Chốt',
    password: 'password-123',
    role: 'checkpoint_officer',
    jurisdiction: { level: 'site', siteId: site.json().id },
  });
  expect(u.statusCode, u.body).toBe(201);
  officer = await t.login('chot.match', 'password-123');
});
afterAll(() => t?.close());

describe(`declarations matched by an officer on ${ENGINE}`, () => {
  let victimId: string;
  let attacker: { code: string; qr: string };

  it('registers the real person at the checkpoint (an officer with their papers)', async () => {
    const r = await t.as(officer, 'POST', '/api/v1/entries', {
      clientId: randomUUID(),
      direction: 'in',
      declaration: declaration({
        fullName: 'Nguyễn Văn Thật',
        idNumber: VICTIM_ID,
        phone: '0912000111',
      }),
    });
    expect(r.statusCode, r.body).toBe(201);
    victimId = r.json().personId;
    expect(r.json().registryMatch).toBe('linked');
  });

  it('an anonymous declaration with the same ID number neither links nor echoes the registry', async () => {
    const r = await t.as(
      null,
      'POST',
      '/api/v1/declarations',
      declaration({ fullName: 'Kẻ Giả Danh', idNumber: VICTIM_ID }),
    );
    expect(r.statusCode, r.body).toBe(201);
    attacker = r.json();
    expect(r.body).not.toContain('Nguyễn Văn Thật');
    expect(r.body).not.toContain('0912000111');
    expect(r.body).not.toContain(victimId);
    const e = await t.as(officer, 'POST', '/api/v1/entries', {
      clientId: randomUUID(),
      direction: 'in',
      qr: attacker.qr,
    });
    expect(e.statusCode, e.body).toBe(201);
    // The entry (and its follow-up) land on the declaration's own record, not on the victim.
    expect(e.json().personId).not.toBe(victimId);
    expect(e.json().registryMatch).toBe('pending');
    const onVictim = await t.db.query('SELECT 1 FROM entries WHERE person_id = $1', [victimId]);
    expect(onVictim).toHaveLength(1);
  });

  it('shows the officer both, and a confirmation moves the entries to the registered person', async () => {
    const real = (
      await t.as(
        null,
        'POST',
        '/api/v1/declarations',
        declaration({ fullName: 'Nguyễn Văn Thật', idNumber: VICTIM_ID }),
      )
    ).json();
    const e = await t.as(officer, 'POST', '/api/v1/entries', {
      clientId: randomUUID(),
      direction: 'in',
      qr: real.qr,
    });
    expect(e.json().registryMatch).toBe('pending');
    const m = await t.as(officer, 'GET', `/api/v1/declarations/${real.code}/match`);
    expect(m.statusCode, m.body).toBe(200);
    expect(m.json()).toMatchObject({
      registryMatch: 'pending',
      declared: { fullName: 'Nguyễn Văn Thật', idNumber: VICTIM_ID },
      candidates: [{ id: victimId, fullName: 'Nguyễn Văn Thật', phone: '0912000111' }],
    });
    const c = await t.as(officer, 'POST', `/api/v1/declarations/${real.code}/match`, {
      personId: victimId,
    });
    expect(c.statusCode, c.body).toBe(200);
    expect(c.json()).toMatchObject({ registryMatch: 'confirmed', personId: victimId });
    const entry = await t.db.query<{ person_id: string }>(
      'SELECT person_id FROM entries WHERE id = $1',
      [e.json().id],
    );
    expect(entry[0]!.person_id).toBe(victimId);
    // Once only.
    const again = await t.as(officer, 'POST', `/api/v1/declarations/${real.code}/match`, {
      personId: victimId,
    });
    expect(again.statusCode).toBe(409);
    const audited = await t.db.query(
      `SELECT action FROM audit_events WHERE action IN ('declarations.match', 'declarations.match.read') AND outcome = 'allowed'`,
    );
    expect(audited.length).toBeGreaterThanOrEqual(2);
  });

  it('an impostor is confirmed as someone new, keeping the ID number off their record', async () => {
    const bogus = await t.as(officer, 'POST', `/api/v1/declarations/${attacker.code}/match`, {
      personId: randomUUID(),
    });
    expect(bogus.statusCode).toBe(404);
    const c = await t.as(officer, 'POST', `/api/v1/declarations/${attacker.code}/match`, {
      personId: null,
    });
    expect(c.statusCode, c.body).toBe(200);
    expect(c.json().registryMatch).toBe('new');
    const holders = await t.db.query('SELECT id FROM persons WHERE id_number = $1', [VICTIM_ID]);
    expect(holders).toEqual([{ id: victimId }]);
    // Nobody without the right may read or confirm.
    expect(
      (await t.as(null, 'GET', `/api/v1/declarations/${attacker.code}/match`)).statusCode,
    ).toBe(401);
  });
});
