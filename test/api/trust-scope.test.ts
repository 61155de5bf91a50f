import { randomUUID } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  encodeDcc,
  generateDemoCsca,
  generateDemoSigner,
  loadSigner,
  type DccPayload,
} from '../../src/server/vaccination/dcc.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';

/**
 * Issue 10 — scope and trust: who may change the DCC trust list (and that a forged certificate
 * never verifies), the scope of a new case, and ids inside request bodies held to the actor's
 * jurisdiction exactly like ids in the path (404 like a missing record, audited).
 */
const A = { commune: '03136', district: '094' }; // Phường Mường Thanh, TP Điện Biên Phủ
const B = { commune: '03331', district: '100' }; // Xã Thanh Hưng, huyện Điện Biên

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let t: TestApp;
let admin: string;
let tinh: string;
let huyenA: string;
let xaA: string;
let xaB: string;
let csca: Awaited<ReturnType<typeof generateDemoCsca>>;
const people: Record<string, string> = {};

async function audits(where: { action?: string; outcome?: string; resourceId?: string }) {
  return t.db.query<{ action: string; outcome: string; reason: string | null; detail: Json }>(
    `SELECT action, outcome, reason, detail FROM audit_events
      WHERE ($1::text IS NULL OR action = $1) AND ($2::text IS NULL OR outcome = $2)
        AND ($3::text IS NULL OR resource_id = $3) ORDER BY id`,
    [where.action ?? null, where.outcome ?? null, where.resourceId ?? null],
  );
}

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'epiguard-trust-'));
  csca = await generateDemoCsca('test national CSCA');
  await writeFile(join(dir, 'csca.pem'), csca.certificatePem);
  process.env.EPIGUARD_DCC_CSCA_FILE = join(dir, 'csca.pem');
  t = await startTestApp();
  delete process.env.EPIGUARD_DCC_CSCA_FILE;
  admin = await t.login('admin');
  const mk = (username: string, role: string, jurisdiction: Json) =>
    t.staff(username, role, jurisdiction);
  tinh = await mk('ts.tinh', 'province', { level: 'province', unitCode: '11' });
  huyenA = await mk('ts.huyen', 'district_health', { level: 'district', unitCode: A.district });
  xaA = await mk('ts.xa.a', 'commune_health', { level: 'commune', unitCode: A.commune });
  xaB = await mk('ts.xa.b', 'commune_health', { level: 'commune', unitCode: B.commune });
  const person = async (key: string, cookie: string, communeCode: string, fullName: string) => {
    const r = await t.as(cookie, 'POST', '/api/v1/persons', {
      fullName,
      birthYear: 1980,
      sex: 'male',
      idType: 'cccd',
      idNumber: `0011800${String(Object.keys(people).length).padStart(5, '0')}`,
      phone: `09120000${String(Object.keys(people).length).padStart(2, '0')}`,
      address: { communeCode },
    });
    expect(r.statusCode, r.body).toBe(201);
    people[key] = r.json().id;
  };
  await person('a1', xaA, A.commune, 'Lò Văn Một');
  await person('a2', xaA, A.commune, 'Lò Văn Hai');
  await person('b1', xaB, B.commune, 'Quàng Thị Ba');
}, 120_000);

afterAll(async () => {
  await t?.close();
});

const NAM = { fn: 'Nguyễn', fnt: 'NGUYEN', gn: 'Thị Hoa', gnt: 'THI<HOA' };
const payload: DccPayload = {
  ver: '1.3.0',
  nam: NAM,
  dob: '1985-03-07',
  v: [
    {
      tg: '840539006',
      vp: 'J07BX03',
      mp: 'EU/1/20/1528',
      ma: 'ORG-100030215',
      dn: 2,
      sd: 2,
      dt: '2021-09-15',
      co: 'VN',
      is: 'Sở Y tế tỉnh khác',
      ci: 'URN:UVCI:01:VN:12:0A1B2C3D4E5F#K',
    },
  ],
} as DccPayload;

const verify = async (qr: string) =>
  (await t.as(null, 'POST', '/api/v1/public/certificates/verify', { qr })).json().valid;

describe('10.3 the DCC trust list', () => {
  it('a district user cannot make a forged certificate verify (404, audited)', async () => {
    const rogue = await generateDemoSigner({ commonName: 'self-made' });
    const qr = encodeDcc({
      payload,
      signer: loadSigner(rogue.privateKeyPem, rogue.certificatePem),
    });
    expect(await verify(qr)).toBe(false);
    const r = await t.as(huyenA, 'POST', '/api/v1/dcc/trust-list', {
      certificate: rogue.certificatePem,
    });
    expect(r.statusCode).toBe(404);
    expect(await verify(qr)).toBe(false);
    const denied = await audits({ action: 'certificates.trust', outcome: 'denied' });
    expect(denied.some((e) => e.reason === 'role')).toBe(true);
    // Even the province cannot add a signer that does not chain to the national CA.
    const p = await t.as(tinh, 'POST', '/api/v1/dcc/trust-list', {
      certificate: rogue.certificatePem,
    });
    expect(p.statusCode, p.body).toBe(400);
    expect(p.json().fields[0].path).toBe('certificate');
    expect(await verify(qr)).toBe(false);
    expect(
      (await audits({ action: 'certificates.trust', resourceId: rogue.kidBase64 })).map(
        (e) => e.reason,
      ),
    ).toEqual(['no_chain']);
  });

  it('the province adds a signer issued by the national CA, and removes it; both audited', async () => {
    const dsc = await generateDemoSigner({ commonName: 'other province DSC', issuer: csca });
    const qr = encodeDcc({ payload, signer: loadSigner(dsc.privateKeyPem, dsc.certificatePem) });
    expect(await verify(qr)).toBe(false);
    const add = await t.as(tinh, 'POST', '/api/v1/dcc/trust-list', {
      certificate: dsc.certificatePem,
      note: 'Tỉnh khác',
    });
    expect(add.statusCode, add.body).toBe(201);
    expect(await verify(qr)).toBe(true);
    const list = await t.as(tinh, 'GET', '/api/v1/dcc/trust-list');
    expect(list.json().nationalCas.map((c: Json) => c.subject)).toEqual([
      expect.stringContaining('test national CSCA'),
    ]);
    const kid = encodeURIComponent(dsc.kidBase64);
    expect((await t.as(huyenA, 'DELETE', `/api/v1/dcc/trust-list/${kid}`)).statusCode).toBe(404);
    expect(await verify(qr)).toBe(true);
    const del = await t.as(tinh, 'DELETE', `/api/v1/dcc/trust-list/${kid}`);
    expect(del.statusCode, del.body).toBe(204);
    expect(await verify(qr)).toBe(false);
    const changes = await audits({
      action: 'certificates.trust',
      outcome: 'allowed',
      resourceId: dsc.kidBase64,
    });
    expect(changes.map((e) => e.detail.change)).toEqual(['add', 'remove']);
    // Our own signer is not removed through the list.
    const own = list.json().items.find((i: Json) => i.source === 'own');
    if (own) {
      const r = await t.as(tinh, 'DELETE', `/api/v1/dcc/trust-list/${encodeURIComponent(own.kid)}`);
      expect(r.statusCode).toBe(409);
    }
  });
});

const caseBody = (personId: string, over: Json = {}) => ({
  personId,
  positiveSampleAt: new Date(Date.now() - 3_600_000).toISOString(),
  foundBy: 'community',
  basis: 'pcr_positive',
  ...over,
});

describe('10.4 opening a case', () => {
  it('naming oneself responsible does not open a case on another commune’s resident', async () => {
    const other = await t.as(
      xaA,
      'POST',
      '/api/v1/cases',
      caseBody(people.b1!, { responsibleCommuneCode: A.commune }),
    );
    const missing = await t.as(
      xaA,
      'POST',
      '/api/v1/cases',
      caseBody(randomUUID(), { responsibleCommuneCode: A.commune }),
    );
    expect(other.statusCode, other.body).toBe(404);
    expect(other.body).not.toContain('0912');
    // "Another commune's person" and "no such person" answer alike.
    expect(other.json()).toEqual(missing.json());
    const denied = await audits({ action: 'cases.create', resourceId: people.b1! });
    expect(denied.map((e) => [e.outcome, e.reason])).toEqual([['denied', 'outside_scope']]);
    // B's existing case is not handed to A either.
    const bCase = await t.as(xaB, 'POST', '/api/v1/cases', caseBody(people.b1!));
    expect(bCase.statusCode, bCase.body).toBe(201);
    const again = await t.as(
      xaA,
      'POST',
      '/api/v1/cases',
      caseBody(people.b1!, { responsibleCommuneCode: A.commune }),
    );
    expect(again.statusCode).toBe(404);
    // The own resident with another responsible commune outside scope: 404 too.
    const elsewhere = await t.as(
      xaA,
      'POST',
      '/api/v1/cases',
      caseBody(people.a1!, { responsibleCommuneCode: B.commune }),
    );
    expect(elsewhere.statusCode).toBe(404);
    expect(elsewhere.json().fields[0].path).toBe('responsibleCommuneCode');
    const own = await t.as(xaA, 'POST', '/api/v1/cases', caseBody(people.a1!));
    expect(own.statusCode, own.body).toBe(201);
  });
});

describe('10.7 ids inside a request body', () => {
  let caseA: string;
  let venueA: string;

  beforeAll(async () => {
    const c = await t.as(xaA, 'POST', '/api/v1/cases', caseBody(people.a2!));
    expect([200, 201]).toContain(c.statusCode);
    caseA = c.json().id;
    const v = await t.as(xaA, 'POST', '/api/v1/venues', {
      name: 'Chợ kiểm thử phạm vi',
      kind: 'market',
      communeCode: A.commune,
    });
    expect(v.statusCode, v.body).toBe(201);
    venueA = v.json().id;
  });

  /** Requests of commune A naming a person id in the body. */
  const bodies: [string, string, () => string, (pid: string) => Json][] = [
    [
      'interview contact',
      'POST',
      () => `/api/v1/cases/${caseA}/interview-contacts`,
      (pid) => ({
        personId: pid,
        at: new Date(Date.now() - 7_200_000).toISOString(),
        minutes: 30,
        masked: false,
      }),
    ],
    [
      'venue check-in by staff',
      'POST',
      () => `/api/v1/venues/${venueA}/checkins`,
      (pid) => ({
        personId: pid,
        direction: 'in',
      }),
    ],
    [
      'test order',
      'POST',
      () => '/api/v1/test-orders',
      (pid) => ({
        clientId: randomUUID(),
        personId: pid,
        testType: 'rt_pcr',
        reason: 'contact',
      }),
    ],
    ['certificate', 'POST', () => '/api/v1/certificates', (pid) => ({ personId: pid })],
    [
      'exemption',
      'POST',
      () => '/api/v1/vaccination-exemptions',
      (pid) => ({
        personId: pid,
        reason: 'postponed',
      }),
    ],
    [
      'screening',
      'POST',
      () => '/api/v1/vaccination-screenings',
      (pid) => ({
        personId: pid,
        outcome: 'eligible',
        consent: true,
      }),
    ],
  ];

  it.each(bodies)(
    '%s: another commune’s person answers 404 like a missing one, audited, revealing nothing',
    async (_name, method, url, body) => {
      const other = await t.as(xaA, method, url(), body(people.b1!));
      const missing = await t.as(xaA, method, url(), body(randomUUID()));
      expect(other.statusCode, other.body).toBe(404);
      expect(other.json()).toEqual(missing.json());
      expect(other.json().fields).toEqual([expect.objectContaining({ path: 'personId' })]);
      expect(other.body).not.toContain('Quàng');
      const ev = await audits({ outcome: 'denied', resourceId: people.b1! });
      expect(ev.at(-1)).toMatchObject({ reason: 'outside_scope', detail: { field: 'personId' } });
    },
  );

  it('a checkpoint names a person by id only after its own scan or within its area (404 + audit)', async () => {
    const site = await t.as(admin, 'POST', '/api/v1/sites', {
      kind: 'checkpoint',
      name: 'Chốt kiểm thử phạm vi',
      communeCode: A.commune,
    });
    expect(site.statusCode, site.body).toBe(201);
    const u = await t.as(admin, 'POST', '/api/v1/users', {
      username: 'ts.chot',
      fullName: 'ts.chot',
      password: 'password-123',
      role: 'checkpoint_officer',
      jurisdiction: { level: 'site', siteId: site.json().id },
    });
    expect(u.statusCode, u.body).toBe(201);
    const chot = await t.login('ts.chot', 'password-123');
    const out = (who: Json) => ({ clientId: randomUUID(), direction: 'out', ...who });
    // A foreign person it never scanned and a random id: the same 404 naming personId, audited.
    const other = await t.as(chot, 'POST', '/api/v1/entries', out({ personId: people.b1 }));
    const missing = await t.as(chot, 'POST', '/api/v1/entries', out({ personId: randomUUID() }));
    expect(other.statusCode, other.body).toBe(404);
    expect(other.json()).toEqual(missing.json());
    expect(other.json().fields).toEqual([expect.objectContaining({ path: 'personId' })]);
    expect(other.body).not.toContain('Quàng');
    const ev = await audits({ outcome: 'denied', resourceId: people.b1! });
    expect(ev.at(-1)).toMatchObject({
      action: 'entries.write',
      reason: 'outside_scope',
      detail: { field: 'personId' },
    });
    // The legitimate path: the traveller's ID number; from then on the site knows the id.
    const byNumber = await t.as(chot, 'POST', '/api/v1/entries', out({ idNumber: '001180000002' }));
    expect(byNumber.statusCode, byNumber.body).toBe(201);
    const again = await t.as(chot, 'POST', '/api/v1/entries', out({ personId: people.b1 }));
    expect(again.statusCode, again.body).toBe(201);
  });

  it('GET /persons/{other}/cases answers 404 like the person page, audited', async () => {
    const other = await t.as(xaA, 'GET', `/api/v1/persons/${people.b1}/cases`);
    const missing = await t.as(xaA, 'GET', `/api/v1/persons/${randomUUID()}/cases`);
    expect(other.statusCode).toBe(404);
    expect(other.json()).toEqual(missing.json());
    const ev = await audits({ action: 'cases.person', resourceId: people.b1! });
    expect(ev.map((e) => e.outcome)).toEqual(['denied']);
    const own = await t.as(xaA, 'GET', `/api/v1/persons/${people.a1}/cases`);
    expect(own.statusCode, own.body).toBe(200);
  });
});

describe('10.9 the audit trail shows whose data was seen', () => {
  it('a list records the people it returned; the read-back finds them; reading is audited', async () => {
    const list = await t.as(xaA, 'GET', '/api/v1/cases');
    expect(list.statusCode, list.body).toBe(200);
    const shown = list.json().items.map((c: Json) => c.person.id);
    expect(shown).toContain(people.a2);
    const ev = await audits({ action: 'cases.list' });
    expect(ev.at(-1)?.detail.subjects).toEqual(expect.arrayContaining(shown));
    const back = await t.as(admin, 'GET', `/api/v1/audit-events?subject=${people.a2}`);
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json().items.map((e: Json) => e.action)).toContain('cases.list');
    expect(
      back
        .json()
        .items.every(
          (e: Json) => e.detail?.subjects?.includes(people.a2) || e.resourceId === people.a2,
        ),
    ).toBe(true);
    expect((await audits({ action: 'audit.read' })).length).toBeGreaterThan(0);
  });

  it('a district sees that another area’s user read its residents (subject area)', async () => {
    const mkAdmin = async (username: string, district: string) => {
      const r = await t.as(admin, 'POST', '/api/v1/users', {
        username,
        fullName: username,
        password: 'password-123',
        role: 'admin',
        jurisdiction: { level: 'district', unitCode: district },
      });
      expect(r.statusCode, r.body).toBe(201);
      return t.login(username, 'password-123');
    };
    const adminA = await mkAdmin('ts.qt.a', A.district);
    const adminB = await mkAdmin('ts.qt.b', B.district);
    // The province's user (no district of its own) reads a resident of district B, and lists
    // the cases (a2 of district A among them).
    expect((await t.as(tinh, 'GET', `/api/v1/persons/${people.b1}`)).statusCode).toBe(200);
    const list = await t.as(tinh, 'GET', '/api/v1/cases');
    expect(list.statusCode, list.body).toBe(200);
    const seen = async (cookie: string) => {
      const r = await t.as(cookie, 'GET', '/api/v1/audit-events?username=ts.tinh&limit=200');
      expect(r.statusCode, r.body).toBe(200);
      return r.json().items as Json[];
    };
    const byB = await seen(adminB);
    expect(byB.map((e) => e.action)).toEqual(expect.arrayContaining(['persons.read']));
    expect(byB.find((e) => e.action === 'persons.read')?.resourceId).toBe(people.b1);
    // Every event B sees names one of its residents (and only once each).
    const ids = byB.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort((x, y) => y - x)).toEqual(ids);
    for (const e of byB)
      expect(e.resourceId === people.b1 || e.detail?.subjects?.includes(people.b1)).toBe(true);
    // District A sees the province user's reads of A's residents, never the read of B's.
    const byA = await seen(adminA);
    expect(byA.some((e) => e.resourceId === people.b1)).toBe(false);
    expect(
      byA.some((e) => e.action === 'cases.list' && e.detail.subjects.includes(people.a2)),
    ).toBe(true);
    // The actor's own area still counts: A's admin sees what commune A's user did.
    const own = await t.as(adminA, 'GET', '/api/v1/audit-events?username=ts.xa.a&limit=5');
    expect(own.json().items.length).toBeGreaterThan(0);
    // Paging across both arms: one page at a time, newest first, no event twice.
    const p1 = await t.as(adminB, 'GET', '/api/v1/audit-events?username=ts.tinh&limit=1');
    const p2 = await t.as(
      adminB,
      'GET',
      `/api/v1/audit-events?username=ts.tinh&limit=1&cursor=${p1.json().nextCursor}`,
    );
    expect([p1.json().items[0].id, p2.json().items[0].id]).toEqual(ids.slice(0, 2));
  });

  it('reading notices is audited with the people they name', async () => {
    const r = await t.as(xaA, 'GET', '/api/v1/notices');
    expect(r.statusCode, r.body).toBe(200);
    const ev = await audits({ action: 'notices.list' });
    expect(ev.at(-1)?.detail.count).toBe(r.json().items.length);
    expect(r.json().items.some((n: Json) => n.ref.type === 'case')).toBe(true);
    expect(ev.at(-1)?.detail.subjects).toContain(people.a2);
    const read = await t.as(xaA, 'POST', `/api/v1/notices/${r.json().items[0].id}/read`);
    expect(read.statusCode, read.body).toBe(200);
    const marked = await audits({ action: 'notices.read', resourceId: r.json().items[0].id });
    expect(marked.map((e) => e.outcome)).toEqual(['allowed']);
  });

  it('is append-only', async () => {
    await expect(t.db.query('UPDATE audit_events SET outcome = $1', ['allowed'])).rejects.toThrow(
      /append-only/,
    );
    await expect(t.db.query('DELETE FROM audit_events')).rejects.toThrow(/append-only/);
    await expect(t.db.query('DELETE FROM audit_event_areas')).rejects.toThrow(/append-only/);
  });

  it('a person search keeps the words out of the trail', async () => {
    const r = await t.as(xaA, 'POST', '/api/v1/persons/search', { q: '0011800' });
    expect(r.statusCode, r.body).toBe(200);
    const ev = await audits({ action: 'persons.search' });
    expect(JSON.stringify(ev.at(-1)?.detail)).not.toContain('0011800');
  });
});
