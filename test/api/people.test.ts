import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalPersonId } from '../../src/server/people/store.ts';
import { ENGINE, startTestApp, type TestApp } from '../helpers/app.ts';

// Two communes of Điện Biên in two districts, as in `epiguard demo`.
const A = { commune: '03136', district: '094' }; // Phường Mường Thanh, TP Điện Biên Phủ
const B = { commune: '03331', district: '100' }; // Xã Thanh Hưng, huyện Điện Biên
const HANOI_COMMUNE = '00001'; // Phường Phúc Xá, Ba Đình, Hà Nội

let t: TestApp;
let admin: string;
let xaA: string;
let xaB: string;
let huyen: string;
let tinh: string;
let chot: string;
let toCovid: string;
let village1: string;
let village2: string;
let villageB: string;

type Json = Record<string, unknown>;
const personBody = (over: Json = {}): Json => ({
  fullName: 'Nguyễn Văn An',
  birthDate: '1985-03-15',
  sex: 'male',
  idType: 'cccd',
  idNumber: '001 085 012 345',
  phone: '+84 912 345 678',
  address: { communeCode: A.commune, villageId: village1, street: 'Số 12, đường Võ Nguyên Giáp' },
  ...over,
});

async function createUser(body: Json) {
  const r = await t.as(admin, 'POST', '/api/v1/users', {
    password: 'password-123',
    fullName: 'Cán bộ',
    ...body,
  });
  expect(r.statusCode, r.body).toBe(201);
  return t.login(body.username as string, 'password-123');
}

async function create(cookie: string, body: Json) {
  const r = await t.as(cookie, 'POST', '/api/v1/persons', body);
  expect(r.statusCode, r.body).toBe(201);
  return r.json();
}

/** A search (issue 10 item 10: its words go in the body of POST /api/v1/persons/search). */
const search = async (cookie: string, qs: string) => {
  const body = Object.fromEntries(
    [...new URLSearchParams(qs)].map(([k, v]) => [
      k,
      k === 'limit' || k === 'birthYear' ? Number(v) : v,
    ]),
  );
  const r = await t.as(cookie, 'POST', '/api/v1/persons/search', body);
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as { items: Json[]; nextCursor: string | null; query: Json };
};
const q = (text: string) => `q=${encodeURIComponent(text)}`;
const ids = (r: { items: Json[] }) => r.items.map((p) => p.id);

async function auditCount(filter: {
  actor?: string;
  action: string;
  outcome: string;
  resourceId?: string;
}) {
  const rows = await t.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM audit_events WHERE action = $1 AND outcome = $2
       AND ($3::text IS NULL OR actor_username = $3) AND ($4::text IS NULL OR resource_id = $4)`,
    [filter.action, filter.outcome, filter.actor ?? null, filter.resourceId ?? null],
  );
  return rows[0]!.n;
}

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.login('admin');
  xaA = await createUser({
    username: 'ppl.xa.a',
    role: 'commune_health',
    jurisdiction: { level: 'commune', unitCode: A.commune },
  });
  xaB = await createUser({
    username: 'ppl.xa.b',
    role: 'commune_health',
    jurisdiction: { level: 'commune', unitCode: B.commune },
  });
  huyen = await createUser({
    username: 'ppl.huyen',
    role: 'district_health',
    jurisdiction: { level: 'district', unitCode: A.district },
  });
  tinh = await createUser({
    username: 'ppl.tinh',
    role: 'province',
    jurisdiction: { level: 'province', unitCode: '11' },
  });
  const v = async (cookie: string, communeCode: string, name: string) => {
    const r = await t.as(cookie, 'POST', '/api/v1/villages', { communeCode, name, kind: 'thon' });
    expect(r.statusCode, r.body).toBe(201);
    return r.json().id as string;
  };
  village1 = await v(xaA, A.commune, 'Tổ dân phố 1');
  village2 = await v(xaA, A.commune, 'Tổ dân phố 2');
  villageB = await v(xaB, B.commune, 'Bản Phủ');
  const site = await t.as(admin, 'POST', '/api/v1/sites', {
    kind: 'checkpoint',
    name: 'Chốt Tây Trang',
    communeCode: A.commune,
  });
  expect(site.statusCode, site.body).toBe(201);
  chot = await createUser({
    username: 'ppl.chot',
    role: 'checkpoint_officer',
    jurisdiction: { level: 'site', siteId: site.json().id },
  });
  toCovid = await createUser({
    username: 'ppl.to1',
    role: 'community_team',
    jurisdiction: { level: 'village', villageId: village1 },
  });
});
afterAll(() => t?.close());

describe(`people on ${ENGINE}`, () => {
  let an: Json;

  it('registers a person, stamping codes from the address and normalising numbers', async () => {
    an = await create(xaA, personBody());
    expect(an).toMatchObject({
      fullName: 'Nguyễn Văn An',
      birthDate: '1985-03-15',
      birthYear: 1985,
      idType: 'cccd',
      idNumber: '001085012345',
      phone: '0912345678',
      nationality: 'VN',
      address: {
        provinceCode: '11',
        districtCode: A.district,
        communeCode: A.commune,
        villageId: village1,
      },
      registeredSiteId: null,
      duplicates: [],
    });
    expect(
      await auditCount({
        action: 'persons.create',
        outcome: 'allowed',
        resourceId: an.id as string,
      }),
    ).toBe(1);
  });

  it('finds a person by name without accents, in any case, with a birth year', async () => {
    for (const text of [
      'nguyen van an',
      'NGUYEN VAN AN',
      'Nguyễn Văn',
      'nguyen van an 1985',
      'van an',
      'Văn A',
      'an 1985',
      '1985 nguyen van an',
    ]) {
      const r = await search(xaA, q(text));
      expect(ids(r), text).toContain(an.id);
      expect(r.query.kind).toBe('name');
    }
    expect(ids(await search(xaA, q('nguyen van an 1986')))).not.toContain(an.id);
    expect(ids(await search(xaA, q('tran van an')))).not.toContain(an.id);
    // words are matched from the start of a word, in order
    expect(ids(await search(xaA, q('an nguyen')))).not.toContain(an.id);
    expect(ids(await search(xaA, q('guyen')))).not.toContain(an.id);
    expect(ids(await search(xaA, `${q('nguyen van an')}&birthYear=1985`))).toContain(an.id);
    expect(
      await auditCount({ actor: 'ppl.xa.a', action: 'persons.search', outcome: 'allowed' }),
    ).toBeGreaterThanOrEqual(6);
  });

  it('finds a person by document number and by phone in any spelling', async () => {
    for (const text of ['001085012345', '001 085 012 345']) {
      const r = await search(xaA, q(text));
      expect(r.query).toEqual({ kind: 'id', idNumber: '001085012345' });
      expect(ids(r)).toEqual([an.id]);
    }
    for (const text of ['0912345678', '0912 345 678', '+84 912 345 678', '84912345678']) {
      const r = await search(xaA, q(text));
      expect(r.query).toEqual({ kind: 'phone', phone: '0912345678' });
      expect(ids(r)).toEqual([an.id]);
    }
  });

  it('reads a person by id, audited', async () => {
    const r = await t.as(xaA, 'GET', `/api/v1/persons/${an.id}`);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ id: an.id, mergedFrom: null, merged: [], households: [] });
    expect(
      await auditCount({
        actor: 'ppl.xa.a',
        action: 'persons.read',
        outcome: 'allowed',
        resourceId: an.id as string,
      }),
    ).toBe(1);
  });

  it('pages through a search with keyset cursors', async () => {
    const names = [
      'Lò Văn Ánh',
      'Lò Văn Bình',
      'Lò Thị Cúc',
      'Lò Văn Dũng',
      'Lò Văn Đức',
      'Lò Văn Em',
      'Lò Thị Gấm',
    ];
    for (const [i, fullName] of names.entries())
      await create(xaA, {
        fullName,
        birthYear: 1990 + i,
        sex: i % 2 ? 'female' : 'male',
        address: { communeCode: A.commune, villageId: village2 },
      });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r = await search(xaA, `${q('lo')}&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.items.length).toBeLessThanOrEqual(3);
      seen.push(...r.items.map((p) => p.fullName as string));
      cursor = r.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    // folded order: "lo thi cuc" < "lo thi gam" < "lo van anh" < … < "lo van duc" < "lo van dung"
    expect(seen).toEqual([
      'Lò Thị Cúc',
      'Lò Thị Gấm',
      'Lò Văn Ánh',
      'Lò Văn Bình',
      'Lò Văn Đức',
      'Lò Văn Dũng',
      'Lò Văn Em',
    ]);
    // the list without a query pages the same way, filtered to a village
    const v2 = await search(xaA, `village=${village2}&limit=500`);
    expect(v2.items).toHaveLength(7);
    const bad = await t.as(xaA, 'GET', '/api/v1/persons?cursor=garbage');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields[0].path).toBe('cursor');
  });

  it('takes the search words in the body, never in the URL (issue 10 item 10)', async () => {
    const p = await create(xaA, {
      fullName: 'Đinh Thị Nhung',
      birthYear: 1990,
      sex: 'female',
      idType: 'cccd',
      idNumber: '001190004321',
      phone: '0912004321',
      address: { communeCode: A.commune },
    });
    for (const words of ['001190004321', '0912004321', 'dinh thi nhung']) {
      const r = await t.as(xaA, 'POST', '/api/v1/persons/search', { q: words, limit: 5 });
      expect(r.statusCode, r.body).toBe(200);
      expect(ids(r.json())).toContain(p.id);
      const hit = r.json().items.find((x: Json) => x.id === p.id);
      expect([hit.idNumber, hit.phone]).toEqual(['********4321', '******4321']);
      const old = await t.as(xaA, 'GET', `/api/v1/persons?q=${encodeURIComponent(words)}`);
      expect(old.statusCode, old.body).toBe(400);
      expect(old.json().fields[0].path).toBe('q');
      expect(old.body).not.toContain(words);
    }
    const bad = await t.as(xaA, 'POST', '/api/v1/persons/search', { q: 12, birthYear: 'x' });
    expect(bad.statusCode).toBe(400);
    // the area list without words stays a GET
    expect((await t.as(xaA, 'GET', `/api/v1/persons?commune=${A.commune}`)).statusCode).toBe(200);
    // the person page shows them whole
    const whole = (await t.as(xaA, 'GET', `/api/v1/persons/${p.id}`)).json();
    expect([whole.idNumber, whole.phone]).toEqual(['001190004321', '0912004321']);
  });

  it('lists a person once even when a repeated word matches twice', async () => {
    const ha = await create(xaA, {
      fullName: 'Hà Văn Hà',
      birthYear: 1999,
      sex: 'male',
      address: { communeCode: A.commune },
    });
    const r = await search(xaA, q('ha'));
    expect(ids(r).filter((id) => id === ha.id)).toHaveLength(1);
  });

  describe('another commune’s user', () => {
    let personB: Json;
    beforeAll(async () => {
      personB = await create(xaB, {
        fullName: 'Quàng Thị Bích',
        birthYear: 1970,
        sex: 'female',
        idType: 'cmnd',
        idNumber: '040123456',
        address: { communeCode: B.commune, villageId: villageB },
      });
    });

    it('cannot read it (404, audited)', async () => {
      const r = await t.as(xaA, 'GET', `/api/v1/persons/${personB.id}`);
      expect(r.statusCode).toBe(404);
      expect(
        await auditCount({
          actor: 'ppl.xa.a',
          action: 'persons.read',
          outcome: 'denied',
          resourceId: personB.id as string,
        }),
      ).toBe(1);
      const dup = await t.as(xaA, 'GET', `/api/v1/persons/${personB.id}/duplicates`);
      expect(dup.statusCode).toBe(404);
      expect(
        await auditCount({
          actor: 'ppl.xa.a',
          action: 'persons.read',
          outcome: 'denied',
          resourceId: personB.id as string,
        }),
      ).toBe(2);
    });

    it('cannot change it (404, audited, unchanged)', async () => {
      const r = await t.as(xaA, 'PATCH', `/api/v1/persons/${personB.id}`, { fullName: 'Đổi Tên' });
      expect(r.statusCode).toBe(404);
      expect(
        await auditCount({
          actor: 'ppl.xa.a',
          action: 'persons.write',
          outcome: 'denied',
          resourceId: personB.id as string,
        }),
      ).toBe(1);
      const rows = await t.db.query<{ full_name: string }>(
        'SELECT full_name FROM persons WHERE id = $1',
        [personB.id],
      );
      expect(rows[0]!.full_name).toBe('Quàng Thị Bích');
    });

    it('cannot merge it (404, audited, unchanged)', async () => {
      const r = await t.as(xaA, 'POST', `/api/v1/persons/${an.id}/merge`, { otherId: personB.id });
      expect(r.statusCode).toBe(404);
      expect(
        await auditCount({
          actor: 'ppl.xa.a',
          action: 'persons.merge',
          outcome: 'denied',
          resourceId: personB.id as string,
        }),
      ).toBe(1);
      const rows = await t.db.query<{ merged_into: string | null }>(
        'SELECT merged_into FROM persons WHERE id = $1',
        [personB.id],
      );
      expect(rows[0]!.merged_into).toBeNull();
    });

    it('cannot list it by filter (404, audited) nor find it by search', async () => {
      const r = await t.as(xaA, 'GET', `/api/v1/persons?commune=${B.commune}`);
      expect(r.statusCode).toBe(404);
      expect(
        await auditCount({
          actor: 'ppl.xa.a',
          action: 'persons.read',
          outcome: 'denied',
          resourceId: B.commune,
        }),
      ).toBe(1);
      const v = await t.as(xaA, 'GET', `/api/v1/persons?village=${villageB}`);
      expect(v.statusCode).toBe(404);
      expect(
        await auditCount({
          actor: 'ppl.xa.a',
          action: 'persons.read',
          outcome: 'denied',
          resourceId: villageB,
        }),
      ).toBe(1);
      expect((await search(xaA, q('040123456'))).items).toHaveLength(0);
      expect((await search(xaA, q('quang thi bich'))).items).toHaveLength(0);
      expect(ids(await search(xaB, q('quang thi bich')))).toEqual([personB.id]);
    });

    it('cannot register a person living there (404, audited)', async () => {
      const r = await t.as(
        xaA,
        'POST',
        '/api/v1/persons',
        personBody({ address: { communeCode: B.commune } }),
      );
      expect(r.statusCode).toBe(404);
      expect(
        await auditCount({
          actor: 'ppl.xa.a',
          action: 'persons.write',
          outcome: 'denied',
          resourceId: B.commune,
        }),
      ).toBe(1);
    });

    it('is seen by the district and the province of each', async () => {
      expect(ids(await search(huyen, q('nguyen van an')))).toContain(an.id);
      expect((await t.as(huyen, 'GET', `/api/v1/persons/${personB.id}`)).statusCode).toBe(404);
      expect(ids(await search(tinh, q('quang thi bich')))).toEqual([personB.id]);
      expect(ids(await search(tinh, q('nguyen van an')))).toContain(an.id);
    });
  });

  describe('duplicates and merge', () => {
    let twin: Json;
    let samePhone: Json;
    let sameNameYear: Json;

    it('flags likely duplicates on create and on request, each with its reason', async () => {
      twin = await create(
        xaA,
        personBody({
          fullName: 'Nguyễn Văn Ân',
          birthDate: null,
          birthYear: 1984,
          phone: null,
          workplace: 'Trường THPT Phan Đình Giót',
          address: { communeCode: A.commune },
        }),
      );
      expect(twin.duplicates).toEqual([
        expect.objectContaining({
          person: expect.objectContaining({ id: an.id }),
          reasons: ['same_id_number'],
        }),
      ]);
      samePhone = await create(xaA, {
        fullName: 'NGUYEN VAN AN',
        birthYear: 1990,
        sex: 'male',
        phone: '0912.345.678',
        address: { communeCode: A.commune, villageId: village2 },
      });
      expect(
        (samePhone.duplicates as Json[]).map((d) => [d.person && (d.person as Json).id, d.reasons]),
      ).toEqual([[an.id, ['same_phone_and_name']]]);
      sameNameYear = await create(xaA, {
        fullName: 'Nguyễn văn an',
        birthYear: 1985,
        sex: 'male',
        address: { communeCode: A.commune },
      });
      expect((sameNameYear.duplicates as Json[]).map((d) => d.reasons)).toEqual([
        ['same_name_birth_year_commune'],
      ]);

      const r = await t.as(xaA, 'GET', `/api/v1/persons/${an.id}/duplicates`);
      expect(r.statusCode).toBe(200);
      const found = new Map(
        (r.json().items as Json[]).map((d) => [(d.person as Json).id, d.reasons]),
      );
      expect(found.get(twin.id)).toEqual(['same_id_number']);
      expect(found.get(samePhone.id)).toEqual(['same_phone_and_name']);
      expect(found.get(sameNameYear.id)).toEqual(['same_name_birth_year_commune']);
      expect(found.size).toBe(3);
      expect(
        await auditCount({
          actor: 'ppl.xa.a',
          action: 'persons.duplicates',
          outcome: 'allowed',
          resourceId: an.id as string,
        }),
      ).toBe(1);
    });

    it('merges two records: chosen fields, both histories, the other hidden from search', async () => {
      // the twin's household membership is part of its history
      const hh = await t.as(xaA, 'POST', '/api/v1/households', {
        villageId: village1,
        address: 'Số 12',
      });
      expect(hh.statusCode).toBe(201);
      const household = hh.json().id;
      expect(
        (
          await t.as(xaA, 'POST', `/api/v1/households/${household}/members`, {
            personId: twin.id,
            relation: 'head',
          })
        ).statusCode,
      ).toBe(201);

      const r = await t.as(xaA, 'POST', `/api/v1/persons/${an.id}/merge`, {
        otherId: twin.id,
        keep: { fullName: 'survivor', address: 'survivor' },
      });
      expect(r.statusCode, r.body).toBe(200);
      const merged = r.json();
      expect(merged).toMatchObject({
        id: an.id,
        fullName: 'Nguyễn Văn An',
        birthDate: '1985-03-15',
        phone: '0912345678',
        // empty on the survivor, filled from the other record
        workplace: 'Trường THPT Phan Đình Giót',
        households: [{ householdId: household, relation: 'head' }],
      });
      expect(merged.merged.map((m: Json) => m.id)).toEqual([twin.id]);

      // reading the merged-away id answers with the survivor
      const old = await t.as(xaA, 'GET', `/api/v1/persons/${twin.id}`);
      expect(old.statusCode).toBe(200);
      expect(old.json()).toMatchObject({ id: an.id, mergedFrom: { id: twin.id } });
      expect(await canonicalPersonId(t.db, twin.id as string)).toBe(an.id);
      expect(await canonicalPersonId(t.db, an.id as string)).toBe(an.id);

      // hidden from every list
      const byId = await search(xaA, q('001085012345'));
      expect(ids(byId)).toEqual([an.id]);
      expect(ids(await search(xaA, q('nguyen van an')))).not.toContain(twin.id);
      const dups = (await t.as(xaA, 'GET', `/api/v1/persons/${an.id}/duplicates`)).json();
      expect(dups.items.map((d: Json) => (d.person as Json).id)).not.toContain(twin.id);

      // the household now holds the survivor as its head
      const h = (await t.as(xaA, 'GET', `/api/v1/households/${household}`)).json();
      expect(h.headPersonId).toBe(an.id);
      expect(h.members.map((m: Json) => [m.personId, m.relation])).toEqual([[an.id, 'head']]);

      const log = await t.db.query<{ reasons: string[]; merged_snapshot: Json; merged_by: string }>(
        'SELECT reasons, merged_snapshot, merged_by FROM person_merges WHERE survivor_id = $1 AND merged_id = $2',
        [an.id, twin.id],
      );
      expect(log).toHaveLength(1);
      expect(log[0]!.reasons).toEqual(['same_id_number']);
      expect(log[0]!.merged_snapshot).toMatchObject({ fullName: 'Nguyễn Văn Ân', birthYear: 1984 });
      expect(
        await auditCount({
          actor: 'ppl.xa.a',
          action: 'persons.merge',
          outcome: 'allowed',
          resourceId: an.id as string,
        }),
      ).toBe(1);
    });

    it('follows an earlier merge when a survivor is merged again', async () => {
      const r = await t.as(xaA, 'POST', `/api/v1/persons/${sameNameYear.id}/merge`, {
        otherId: an.id,
        keep: {
          fullName: 'other',
          birth: 'other',
          idDocument: 'other',
          phone: 'other',
          address: 'other',
        },
      });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json()).toMatchObject({
        id: sameNameYear.id,
        fullName: 'Nguyễn Văn An',
        idNumber: '001085012345',
      });
      expect(
        r
          .json()
          .merged.map((m: Json) => m.id)
          .sort(),
      ).toEqual([an.id, twin.id].sort());
      expect(await canonicalPersonId(t.db, twin.id as string)).toBe(sameNameYear.id);
      // merged already: a conflict, not a second merge
      const again = await t.as(xaA, 'POST', `/api/v1/persons/${sameNameYear.id}/merge`, {
        otherId: twin.id,
      });
      expect(again.statusCode).toBe(409);
      const self = await t.as(xaA, 'POST', `/api/v1/persons/${an.id}/merge`, {
        otherId: sameNameYear.id,
      });
      expect(self.statusCode).toBe(409);
      an = r.json();
    });

    it('is refused to a community team (no merge permission, 404, audited)', async () => {
      const r = await t.as(toCovid, 'POST', `/api/v1/persons/${an.id}/merge`, {
        otherId: samePhone.id,
      });
      expect(r.statusCode).toBe(404);
      expect(
        await auditCount({ actor: 'ppl.to1', action: 'persons.merge', outcome: 'denied' }),
      ).toBe(1);
    });
  });

  it('corrects a record, re-stamping the address and refusing an address outside scope', async () => {
    const p = await create(xaA, {
      fullName: 'Vừ A Dính',
      birthYear: 1960,
      sex: 'male',
      address: { communeCode: A.commune, villageId: village1 },
    });
    const r = await t.as(xaA, 'PATCH', `/api/v1/persons/${p.id}`, {
      birthDate: '1961-07-01',
      phone: '0215 3825 123',
      address: { villageId: village2 },
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({
      birthDate: '1961-07-01',
      birthYear: 1961,
      phone: '02153825123',
      address: { villageId: village2, communeCode: A.commune },
    });
    expect(ids(await search(xaA, q('vu a dinh 1961')))).toEqual([p.id]);
    const out = await t.as(xaA, 'PATCH', `/api/v1/persons/${p.id}`, {
      address: { communeCode: B.commune },
    });
    expect(out.statusCode).toBe(404);
    const bad = await t.as(xaA, 'PATCH', `/api/v1/persons/${p.id}`, {
      birthYear: 1990,
      birthDate: '1961-07-01',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields.map((f: Json) => f.path)).toEqual(['birthYear']);
    expect(
      await auditCount({
        actor: 'ppl.xa.a',
        action: 'persons.update',
        outcome: 'allowed',
        resourceId: p.id as string,
      }),
    ).toBe(1);
  });

  it('does not duplicate a replayed create (same clientId)', async () => {
    const clientId = '3b8f2c1e-9d4a-4e6b-8c2d-1a2b3c4d5e6f';
    const body = {
      fullName: 'Giàng Thị Mai',
      birthYear: 2001,
      sex: 'female',
      address: { communeCode: A.commune },
      clientId,
    };
    const first = await t.as(xaA, 'POST', '/api/v1/persons', body);
    expect(first.statusCode).toBe(201);
    const again = await t.as(xaA, 'POST', '/api/v1/persons', body);
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(first.json().id);
    const n = await t.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM persons WHERE client_id = $1',
      [clientId],
    );
    expect(n[0]!.n).toBe(1);
    // someone else replaying that client id learns nothing about the record
    const foreign = await t.as(xaB, 'POST', '/api/v1/persons', {
      ...body,
      address: { communeCode: B.commune },
    });
    expect(foreign.statusCode).toBe(409);
    expect(foreign.body).not.toContain('Giàng');
  });

  it('answers bad bodies with 400 naming the fields', async () => {
    const cases: [Json, string[]][] = [
      [{ ...personBody(), fullName: '' }, ['fullName']],
      [{ ...personBody(), sex: 'x' }, ['sex']],
      [{ ...personBody(), birthDate: '1985-02-30' }, ['birthDate']],
      [{ ...personBody(), birthDate: '2999-01-01' }, ['birthDate']],
      [{ ...personBody(), phone: 'abc' }, ['phone']],
      [{ ...personBody(), idNumber: '12345' }, ['idNumber']],
      [{ ...personBody(), idType: null }, ['idType']],
      [{ ...personBody(), birthDate: undefined, birthYear: undefined }, ['birthYear']],
      [{ ...personBody(), birthYear: 1990 }, ['birthYear']],
      [{ ...personBody(), nationality: 'Vietnam' }, ['nationality']],
      [{ ...personBody(), address: undefined }, ['address']],
      [{ ...personBody(), address: { communeCode: '99999' } }, ['address.communeCode']],
      [
        { ...personBody(), address: { communeCode: A.commune, villageId: villageB } },
        ['address.villageId'],
      ],
      [{ ...personBody(), address: { communeCode: 'x' } }, ['address.communeCode']],
      [{ ...personBody(), clientId: 'nope' }, ['clientId']],
    ];
    for (const [body, paths] of cases) {
      const r = await t.as(xaA, 'POST', '/api/v1/persons', body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(
        r.json().fields.map((f: Json) => f.path),
        JSON.stringify(body),
      ).toEqual(paths);
    }
    const merge = await t.as(xaA, 'POST', `/api/v1/persons/${an.id}/merge`, {
      otherId: an.id,
      keep: { name: 'other' },
    });
    expect(merge.statusCode).toBe(400);
    expect(merge.json().fields[0].path).toBe('keep');
    const qs = await t.as(xaA, 'GET', '/api/v1/persons?birthYear=abc');
    expect(qs.statusCode).toBe(400);
    expect(qs.json().fields[0].path).toBe('querystring.birthYear');
    const id = await t.as(xaA, 'GET', '/api/v1/persons/123');
    expect(id.statusCode).toBe(400);
    expect(id.json().fields[0].path).toBe('params.id');
  });

  it('lets a checkpoint register travellers from anywhere and see only those', async () => {
    const traveller = await t.as(chot, 'POST', '/api/v1/persons', {
      fullName: 'Trần Thị Hoa',
      birthDate: '1992-11-02',
      sex: 'female',
      idType: 'cccd',
      idNumber: '001192000777',
      phone: '0987654321',
      address: { communeCode: HANOI_COMMUNE, street: '5 Phó Đức Chính' },
    });
    expect(traveller.statusCode, traveller.body).toBe(201);
    const p = traveller.json();
    expect(p.address).toMatchObject({ provinceCode: '01', communeCode: HANOI_COMMUNE });
    expect(p.registeredSiteId).toBeTruthy();
    expect(ids(await search(chot, q('tran thi hoa')))).toEqual([p.id]);
    expect((await t.as(chot, 'GET', `/api/v1/persons/${p.id}`)).statusCode).toBe(200);
    // not the commune's residents…
    expect((await search(chot, q('nguyen van an'))).items).toHaveLength(0);
    expect((await t.as(chot, 'GET', `/api/v1/persons/${an.id}`)).statusCode).toBe(404);
    // …and the commune around the checkpoint does not see the traveller; the province does
    expect((await search(xaA, q('001192000777'))).items).toHaveLength(0);
    expect(ids(await search(tinh, q('001192000777')))).toEqual([p.id]);
    // a checkpoint has no households and cannot merge
    expect((await t.as(chot, 'GET', '/api/v1/households')).statusCode).toBe(404);
  });

  it('holds a village community team to its village', async () => {
    const all = await search(toCovid, 'limit=500');
    expect(all.items.length).toBeGreaterThan(0);
    expect(all.items.every((p) => (p.address as Json).villageId === village1)).toBe(true);
    const other = await create(xaA, {
      fullName: 'Cà Văn Tính',
      birthYear: 1950,
      sex: 'male',
      address: { communeCode: A.commune, villageId: village2 },
    });
    expect((await t.as(toCovid, 'GET', `/api/v1/persons/${other.id}`)).statusCode).toBe(404);
    const mine = await t.as(toCovid, 'POST', '/api/v1/persons', {
      fullName: 'Cà Thị Ơn',
      birthYear: 2015,
      sex: 'female',
      address: { communeCode: A.commune, villageId: village1 },
    });
    expect(mine.statusCode).toBe(201);
    const outside = await t.as(toCovid, 'POST', '/api/v1/persons', {
      fullName: 'Cà Thị Ơn',
      birthYear: 2015,
      sex: 'female',
      address: { communeCode: A.commune, villageId: village2 },
    });
    expect(outside.statusCode).toBe(404);
    expect(
      await auditCount({
        actor: 'ppl.to1',
        action: 'persons.write',
        outcome: 'denied',
        resourceId: village2,
      }),
    ).toBe(1);
  });

  describe('households', () => {
    let household: string;
    let father: Json;
    let mother: Json;
    let child: Json;

    beforeAll(async () => {
      const mk = (fullName: string, birthYear: number, sex: string) =>
        create(xaA, {
          fullName,
          birthYear,
          sex,
          address: { communeCode: A.commune, villageId: village2 },
        });
      father = await mk('Lường Văn Hùng', 1978, 'male');
      mother = await mk('Lò Thị Xuân', 1980, 'female');
      child = await mk('Lường Văn Minh', 2008, 'male');
    });

    it('creates a household in a village with its head and members', async () => {
      const r = await t.as(xaA, 'POST', '/api/v1/households', {
        villageId: village2,
        address: 'Số 3, tổ 2',
        headPersonId: father.id,
      });
      expect(r.statusCode, r.body).toBe(201);
      household = r.json().id;
      expect(r.json()).toMatchObject({
        villageId: village2,
        communeCode: A.commune,
        districtCode: A.district,
        headPersonId: father.id,
        members: [{ personId: father.id, relation: 'head' }],
      });
      expect(
        (
          await t.as(xaA, 'POST', `/api/v1/households/${household}/members`, {
            personId: mother.id,
            relation: 'spouse',
          })
        ).statusCode,
      ).toBe(201);
      const add = await t.as(xaA, 'POST', `/api/v1/households/${household}/members`, {
        personId: child.id,
        relation: 'child',
      });
      expect(add.statusCode).toBe(201);
      expect(add.json().members.map((m: Json) => [m.fullName, m.relation])).toEqual([
        ['Lường Văn Hùng', 'head'],
        ['Lò Thị Xuân', 'spouse'],
        ['Lường Văn Minh', 'child'],
      ]);
      // one head per household
      const twoHeads = await t.as(xaA, 'POST', `/api/v1/households/${household}/members`, {
        personId: mother.id,
        relation: 'head',
      });
      expect(twoHeads.statusCode).toBe(409);
      expect(twoHeads.json().fields[0].path).toBe('relation');
      // a person's page lists their households
      const p = (await t.as(xaA, 'GET', `/api/v1/persons/${child.id}`)).json();
      expect(p.households).toEqual([
        expect.objectContaining({ householdId: household, relation: 'child', villageId: village2 }),
      ]);
    });

    it('lists the households of a village and removes a member', async () => {
      const list = (await t.as(xaA, 'GET', `/api/v1/households?village=${village2}`)).json();
      expect(list.items).toEqual([
        expect.objectContaining({ id: household, headName: 'Lường Văn Hùng', memberCount: 3 }),
      ]);
      const del = await t.as(xaA, 'DELETE', `/api/v1/households/${household}/members/${father.id}`);
      expect(del.statusCode).toBe(200);
      expect(del.json().headPersonId).toBeNull();
      expect(del.json().members).toHaveLength(2);
      expect(
        (await t.as(xaA, 'DELETE', `/api/v1/households/${household}/members/${father.id}`))
          .statusCode,
      ).toBe(404);
      expect(
        await auditCount({ actor: 'ppl.xa.a', action: 'households.list', outcome: 'allowed' }),
      ).toBe(1);
    });

    it('keeps another commune out (404, audited)', async () => {
      expect((await t.as(xaB, 'GET', `/api/v1/households/${household}`)).statusCode).toBe(404);
      expect(
        await auditCount({
          actor: 'ppl.xa.b',
          action: 'households.read',
          outcome: 'denied',
          resourceId: household,
        }),
      ).toBe(1);
      expect((await t.as(xaB, 'GET', `/api/v1/households?village=${village2}`)).statusCode).toBe(
        404,
      );
      expect(
        await auditCount({
          actor: 'ppl.xa.b',
          action: 'households.read',
          outcome: 'denied',
          resourceId: village2,
        }),
      ).toBe(1);
      expect(
        (
          await t.as(xaB, 'POST', `/api/v1/households/${household}/members`, {
            personId: father.id,
            relation: 'other',
          })
        ).statusCode,
      ).toBe(404);
      expect(
        (await t.as(xaB, 'POST', '/api/v1/households', { villageId: village2 })).statusCode,
      ).toBe(404);
      expect(
        await auditCount({ actor: 'ppl.xa.b', action: 'households.write', outcome: 'denied' }),
      ).toBe(2);
      const theirs = (await t.as(xaB, 'GET', '/api/v1/households')).json();
      expect(theirs.items).toHaveLength(0);
    });

    it('answers bad household bodies with 400 naming the field', async () => {
      const r = await t.as(xaA, 'POST', `/api/v1/households/${household}/members`, {
        personId: 'x',
        relation: 'cousin',
      });
      expect(r.statusCode).toBe(400);
      expect(
        r
          .json()
          .fields.map((f: Json) => f.path)
          .sort(),
      ).toEqual(['personId', 'relation']);
      const c = await t.as(xaA, 'POST', '/api/v1/households', {});
      expect(c.statusCode).toBe(400);
      expect(c.json().fields[0].path).toBe('villageId');
    });
  });

  it('never answers 5xx to random bodies on the people endpoints', async () => {
    const targets = [
      ['POST', '/api/v1/persons'],
      ['PATCH', `/api/v1/persons/${an.id}`],
      ['POST', `/api/v1/persons/${an.id}/merge`],
      ['POST', '/api/v1/households'],
    ] as const;
    const value = fc.oneof(
      fc.constantFrom(
        A.commune,
        '99999',
        village1,
        an.id,
        'cccd',
        '1985-02-29',
        '0912345678',
        '',
        'male',
      ),
      fc.string(),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
    );
    const body = fc.oneof(
      fc.anything(),
      fc.dictionary(
        fc.constantFrom(
          'fullName',
          'birthDate',
          'birthYear',
          'sex',
          'idType',
          'idNumber',
          'phone',
          'nationality',
          'address',
          'workplace',
          'clientId',
          'otherId',
          'keep',
          'villageId',
          'headPersonId',
        ),
        fc.oneof(
          value,
          fc.dictionary(
            fc.constantFrom('communeCode', 'villageId', 'street', 'fullName', 'address'),
            value,
          ),
        ),
      ),
    );
    await fc.assert(
      fc.asyncProperty(fc.nat(), body, async (i, payload) => {
        const [method, url] = targets[i % targets.length]!;
        const res = await t.app.inject({
          method,
          url,
          headers: { 'content-type': 'application/json', cookie: tinh },
          payload: JSON.stringify(payload) ?? 'null',
        });
        if (res.statusCode >= 500)
          throw new Error(
            `${method} ${url} → ${res.statusCode} ${res.body} for ${JSON.stringify(payload)}`,
          );
      }),
      { numRuns: 150 },
    );
  });
});
