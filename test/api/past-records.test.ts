import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, dateOfInstant } from '../../src/domain/dates.ts';
import { ENGINE, startTestApp, type TestApp } from '../helpers/app.ts';

/**
 * Issue 13 item 7: records kept on paper can be entered later. A checkpoint officer enters a
 * passage from 40 days ago and a commune officer enters a venue's paper check-ins from 4 days
 * ago, each with a reason that reaches the audit trail; without a reason the field is named; an
 * anonymous check-in stays within 24 hours; tracing finds the contacts of the past check-ins
 * like live ones.
 */
const A = '03136';
const DAY = 86_400_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const REASON = 'Sổ giấy của chốt, nhập lại sau khi mất mạng';
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let t: TestApp;
let officer: string;
let xa: string;

beforeAll(async () => {
  t = await startTestApp();
  const admin = await t.login('admin');
  const site = await t.as(admin, 'POST', '/api/v1/sites', {
    kind: 'checkpoint',
    name: 'Chốt Km 5 (sổ giấy)',
    communeCode: A,
  });
  expect(site.statusCode, site.body).toBe(201);
  const mk = (username: string, role: string, jurisdiction: Json) =>
    t.staff(username, role, jurisdiction);
  officer = await mk('giay.chot', 'checkpoint_officer', { level: 'site', siteId: site.json().id });
  xa = await mk('giay.xa', 'commune_health', { level: 'commune', unitCode: A });
});
afterAll(() => t?.close());

describe(`past records from paper on ${ENGINE}`, () => {
  it('takes a 40-day-old passage from a checkpoint officer with a reason, and audits the reason', async () => {
    const at = ago(40 * DAY);
    const date = dateOfInstant(Date.parse(at));
    const body = {
      clientId: randomUUID(),
      direction: 'in',
      at,
      declaration: {
        person: {
          fullName: 'Quàng Văn Giấy',
          birthYear: 1979,
          sex: 'male',
          idType: 'cccd',
          idNumber: '011079000777',
          communeCode: A,
        },
        travel: { mode: 'personal_vehicle', fromProvinceCode: '01', toCommuneCode: A, date },
        visitedProvinces: [],
        symptoms: [],
        exposure: { caseContact: false, fromOutbreakArea: false, symptomaticContact: false },
        vaccination: { doses: 0 },
        consent: true,
      },
    };
    const noReason = await t.as(officer, 'POST', '/api/v1/entries', body);
    expect(noReason.statusCode, noReason.body).toBe(400);
    expect(noReason.json().fields[0].path).toBe('backdateReason');
    const short = await t.as(officer, 'POST', '/api/v1/entries', {
      ...body,
      backdateReason: 'sổ',
    });
    expect(short.json().fields[0].path).toBe('backdateReason');
    const tooOld = await t.as(officer, 'POST', '/api/v1/entries', {
      ...body,
      at: '2019-12-31T12:00:00+07:00',
      backdateReason: REASON,
    });
    expect(tooOld.statusCode).toBe(400);
    expect(tooOld.json().fields[0].path).toBe('at');
    expect(await t.db.query('SELECT 1 FROM entries')).toHaveLength(0);

    const ok = await t.as(officer, 'POST', '/api/v1/entries', { ...body, backdateReason: REASON });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(Date.parse(ok.json().at)).toBe(Date.parse(at));
    const again = await t.as(officer, 'POST', '/api/v1/entries', {
      ...body,
      backdateReason: REASON,
    });
    expect(again.statusCode).toBe(200);
    expect(await t.db.query('SELECT 1 FROM entries')).toHaveLength(1);
    const ev = await t.db.query<{ reason: string; detail: Json }>(
      `SELECT reason, detail FROM audit_events WHERE action = 'entries.create' AND resource_id = $1`,
      [ok.json().id],
    );
    expect(ev).toHaveLength(1);
    expect(ev[0]).toMatchObject({ reason: REASON, detail: { backdated: true } });
  });

  it('keeps anonymous check-ins within 24 hours; an officer enters older ones with a reason; tracing uses them', async () => {
    const person = async (fullName: string) => {
      const r = await t.as(xa, 'POST', '/api/v1/persons', {
        fullName,
        birthYear: 1988,
        sex: 'female',
        address: { communeCode: A },
      });
      expect(r.statusCode, r.body).toBe(201);
      return r.json().id as string;
    };
    const f0 = await person('Lò Thị Sổ');
    const friend = await person('Cà Thị Giấy');
    const venue = (
      await t.as(xa, 'POST', '/api/v1/venues', {
        name: 'Chợ Mường Thanh',
        kind: 'market',
        communeCode: A,
      })
    ).json();
    expect(venue.id).toBeTruthy();
    const checkin = (who: string, direction: string, at: string, extra: Json = {}) =>
      t.as(xa, 'POST', `/api/v1/venues/${venue.id}/checkins`, {
        clientId: randomUUID(),
        personId: who,
        direction,
        at,
        ...extra,
      });

    const anon = await t.as(null, 'POST', `/api/v1/venues/${venue.id}/checkins`, {
      token: venue.qr.token,
      declarationCode: 'ABCDEFGH',
      direction: 'in',
      at: ago(25 * 3_600_000),
      backdateReason: REASON,
    });
    expect(anon.statusCode).toBe(400);
    expect(anon.json().fields[0].path).toBe('at');

    const four = 4 * DAY;
    const noReason = await checkin(f0, 'in', ago(four));
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().fields[0].path).toBe('backdateReason');
    const reason = { backdateReason: 'Sổ ghi chép của ban quản lý chợ' };
    for (const [who, dir, msAgo] of [
      [f0, 'in', four],
      [friend, 'in', four - 10 * 60_000],
      [friend, 'out', four - 50 * 60_000],
      [f0, 'out', four - 60 * 60_000],
    ] as const) {
      const r = await checkin(who, dir, ago(msAgo), reason);
      expect(r.statusCode, r.body).toBe(201);
    }
    const events = await t.db.query<{ reason: string }>(
      `SELECT reason FROM audit_events WHERE action = 'venues.checkin' AND detail->>'backdated' = 'true'`,
    );
    expect(events.map((e) => e.reason)).toEqual(Array(4).fill(reason.backdateReason));

    // The F0's sample was taken 3 days ago: the market visit 4 days ago lies in the infectious
    // period, so the past check-ins name the friend as an F1 with 40 minutes together.
    const c = await t.as(xa, 'POST', '/api/v1/cases', {
      personId: f0,
      positiveSampleAt: ago(3 * DAY),
      onsetDate: addDays(dateOfInstant(Date.now()), -3),
      foundBy: 'community',
      basis: 'pcr_positive',
    });
    expect(c.statusCode, c.body).toBe(201);
    const contacts = (
      await t.as(xa, 'GET', `/api/v1/cases/${c.json().id}/contacts?depth=1`)
    ).json();
    const k = contacts.f1.find((x: Json) => x.person.id === friend);
    expect(k, JSON.stringify(contacts)).toBeTruthy();
    expect(k.evidence[0]).toMatchObject({ source: 'venue', minutes: 40, place: 'Chợ Mường Thanh' });
  });
});
