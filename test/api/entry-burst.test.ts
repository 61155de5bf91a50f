import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, dateOfInstant } from '../../src/domain/dates.ts';
import { ENGINE, startTestApp, type TestApp } from '../helpers/app.ts';

/**
 * A burst of checkpoint entries (issue 15.3): passages arriving together are written together
 * (group commit), each answered with its own entry; copies of one offline entry in the same
 * burst are written once; counts, follow-ups and audit events add up to the passages.
 */
const COMMUNE = '03136'; // Phường Mường Thanh
const today = dateOfInstant(Date.now());
let t: TestApp;
let officer: string;

beforeAll(async () => {
  t = await startTestApp();
  const admin = await t.login('admin');
  const site = await t.as(admin, 'POST', '/api/v1/sites', {
    kind: 'checkpoint',
    name: 'Chốt burst (test)',
    communeCode: COMMUNE,
  });
  expect(site.statusCode).toBe(201);
  const u = await t.as(admin, 'POST', '/api/v1/users', {
    username: 'chot.burst',
    fullName: 'chot.burst',
    password: 'password-123',
    role: 'checkpoint_officer',
    jurisdiction: { level: 'site', siteId: site.json().id },
  });
  expect(u.statusCode, u.body).toBe(201);
  officer = await t.login('chot.burst', 'password-123');
  // Hà Nội (01) an epidemic area of level 3 since last week: every arrival from there is followed up.
  await t.db.query(
    `INSERT INTO epidemic_areas (province_code, level, valid_from, note, created_by)
     VALUES ('01', 3, $1, 'burst test', $2)`,
    [addDays(today, -7), u.json().id],
  );
});
afterAll(() => t?.close());

async function declare(i: number) {
  const r = await t.as(null, 'POST', '/api/v1/declarations', {
    person: {
      fullName: `Lò Văn Burst ${i}`,
      birthYear: 1980 + (i % 20),
      sex: 'male',
      idType: 'cccd',
      idNumber: `0010850${String(10000 + i).padStart(5, '0')}`,
      phone: `09123${String(10000 + i).padStart(5, '0')}`,
      communeCode: '00001',
    },
    travel: {
      mode: 'coach',
      vehicleNumber: '29B-123.45',
      fromProvinceCode: '01',
      fromDistrictCode: '001',
      toCommuneCode: COMMUNE,
      toAddress: 'Tổ 5',
      date: today,
    },
    visitedProvinces: ['01'],
    symptoms: [],
    exposure: { caseContact: false, fromOutbreakArea: false, symptomaticContact: false },
    vaccination: { doses: 2, lastDoseDate: '2026-06-01' },
    consent: true,
  });
  expect(r.statusCode, r.body).toBe(201);
  return r.json() as { code: string };
}

describe(`entry bursts on ${ENGINE}`, () => {
  it('writes 30 concurrent passages and 4 copies of one of them exactly once each', async () => {
    const codes = await Promise.all(Array.from({ length: 30 }, (_, i) => declare(i)));
    const clientIds = codes.map(() => randomUUID());
    const copied = clientIds[7]!;
    const sent = [
      ...codes.map((d, i) => ({ clientId: clientIds[i]!, declarationCode: d.code })),
      ...[1, 2, 3].map(() => ({ clientId: copied, declarationCode: codes[7]!.code })),
    ];
    const answers = await Promise.all(
      sent.map((b) =>
        t.as(officer, 'POST', '/api/v1/entries', { ...b, direction: 'in', companions: 0 }),
      ),
    );
    for (const a of answers) expect([200, 201], a.body).toContain(a.statusCode);
    // Each passage answered with its own entry; the copies with the one entry of their client id.
    const ids = answers.map((a) => a.json().id as string);
    expect(new Set(ids).size).toBe(30);
    const ofCopied = answers.filter((_, i) => sent[i]!.clientId === copied);
    expect(new Set(ofCopied.map((a) => a.json().id)).size).toBe(1);
    expect(ofCopied.filter((a) => a.statusCode === 201)).toHaveLength(1);
    answers.forEach((a, i) => expect(a.json().clientId).toBe(sent[i]!.clientId));
    const [n] = await t.db.query<{
      entries: number;
      fus: number;
      audits: number;
      people_in: number;
    }>(
      `SELECT (SELECT count(*)::int FROM entries) AS entries,
              (SELECT count(*)::int FROM follow_ups) AS fus,
              (SELECT count(*)::int FROM audit_events WHERE action = 'entries.create') AS audits,
              (SELECT sum(people_in)::int FROM entry_daily_counts) AS people_in`,
    );
    expect(n).toEqual({ entries: 30, fus: 30, audits: 30, people_in: 30 });
    // Each entry row is the one its client id names.
    const rows = await t.db.query<{ id: string; client_id: string }>(
      'SELECT id, client_id FROM entries',
    );
    const byClient = new Map(rows.map((r) => [r.client_id, r.id]));
    answers.forEach((a, i) => expect(a.json().id).toBe(byClient.get(sent[i]!.clientId)));
  });
});
