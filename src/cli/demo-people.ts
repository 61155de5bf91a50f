/**
 * Part 1 of the demo scenario (issue 16 item 8): arrivals and their declarations, entries at the
 * two communes' checkpoints and a lodging, a market's QR check-ins, households, and the
 * outbreak that follows — an F0 from Bắc Giang whose F1 becomes a second F0 (F0 → F1 → F2),
 * confirmed contacts with quarantine orders, clusters and a lockdown. The figures are small and
 * taken from the seeds (Điện Biên, mid-2021: travellers from Bắc Giang, Hà Nội and TP HCM, the
 * coach from Bắc Giang, the market of Mường Thanh).
 */
import { addDays, dateOfInstant } from '../domain/dates.ts';
import type { Db } from '../server/db/index.ts';
import type { DemoApi, Json } from './demo-api.ts';

/** A deterministic generator (mulberry32): the same seed gives the same scenario. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FAMILY = [
  'Lò',
  'Quàng',
  'Lường',
  'Cà',
  'Tòng',
  'Vì',
  'Điêu',
  'Lù',
  'Nguyễn',
  'Trần',
  'Hoàng',
];
const MALE = ['Văn Bình', 'Văn Xe', 'Văn Hùng', 'Văn Thắng', 'A Chứ', 'Văn Tâm', 'Văn Minh'];
const FEMALE = ['Thị Ghế', 'Thị Mai', 'Thị Hoa', 'Thị Chợ', 'Thị Lan', 'Thị Xuân', 'Thị Hương'];

export interface Area {
  code: string;
  district: string;
  tag: string;
  village: string;
}
export interface Person {
  id: string;
  code: string;
  fullName: string;
  area: Area;
  /** 18 or older: may receive an adult vaccine */
  adult: boolean;
}

/** The outbreak's people and records, handed to part 2. */
export interface Outbreak {
  now: number;
  today: string;
  people: Person[];
  cases: Json[];
  orders: Json[];
}

export async function loadPeople(
  api: DemoApi,
  areas: [Area, Area],
  rnd: () => number,
): Promise<Outbreak> {
  const now = Date.now();
  const today = dateOfInstant(now);
  const ago = (h: number) => new Date(now - h * 3_600_000).toISOString();
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const [A, B] = areas;
  const xa = (a: Area) => `demo.xa.${a.tag}`;

  // The province declares the places its travellers come from epidemic areas (seeds: Bắc Giang
  // and TP HCM in mid-2021); the checkpoints classify arrivals against them.
  for (const [unitCode, level] of [
    ['24', 4],
    ['79', 3],
  ] as const)
    await api.call('demo.tinh', 'POST', '/api/v1/epidemic-areas', {
      unitCode,
      level,
      validFrom: addDays(today, -20),
    });

  // 18 arrivals: two thirds to Mường Thanh, one third to Thanh Hưng; most by the Bắc Giang coach.
  const people: Person[] = [];
  for (let i = 0; i < 18; i++) {
    const area = i % 3 === 2 ? B : A;
    const female = rnd() < 0.5;
    const fullName = `${pick(FAMILY)} ${pick(female ? FEMALE : MALE)}`;
    const from = i < 10 ? '24' : pick(['01', '79', '11'] as const);
    const d = await api.call(null, 'POST', '/api/v1/declarations', {
      clientId: uuidFrom(rnd),
      person: {
        fullName,
        birthYear: 1960 + Math.floor(rnd() * 45),
        sex: female ? 'female' : 'male',
        idType: 'cccd',
        idNumber: `0110${String(90000000 + i * 7919).padStart(8, '0')}`,
        phone: `09${String(12000000 + i * 3571).slice(0, 8)}`,
        communeCode: area.code,
      },
      travel: {
        mode: i < 12 ? 'coach' : 'personal_vehicle',
        vehicleNumber: i < 12 ? '98B-012.34' : `27A-${100 + i}.${10 + i}`,
        fromProvinceCode: from,
        toCommuneCode: area.code,
        date: dateOfInstant(now - (i % 4) * 86_400_000),
      },
      visitedProvinces: [from],
      symptoms: i === 0 ? ['fever', 'cough'] : [],
      exposure: { caseContact: false, fromOutbreakArea: from !== '11', symptomaticContact: false },
      vaccination:
        i % 4 === 0
          ? { doses: 0 }
          : {
              doses: Math.min(i % 4, 2),
              vaccine: 'AstraZeneca',
              lastDoseDate: addDays(today, -30 - i * 5),
            },
      ...(i % 3 === 1
        ? { lastTest: { type: 'rapid', date: addDays(today, -1), result: 'negative' } }
        : {}),
      consent: true,
    });
    // The entry at the commune's checkpoint (the coach's passengers within minutes of each
    // other) names the person the declaration was matched to.
    const e = await api.call(`demo.checkpoint.${area.tag}`, 'POST', '/api/v1/entries', {
      clientId: uuidFrom(rnd),
      direction: 'in',
      declarationCode: d.code,
      at: ago(i < 12 ? 30 - i * 0.02 : 20 - i),
      vehicle:
        i < 12
          ? { plate: '98B-012.34', type: 'coach' }
          : { plate: `27A-${100 + i}.${10 + i}`, type: 'car' },
    });
    people.push({ id: e.personId, code: d.code, fullName, area, adult: true });
  }

  // Two guests at the lodging in Mường Thanh, one of them the index case.
  for (const [i, p] of [people[0]!, people[3]!].entries())
    await api.call(`demo.lodging.${A.tag}`, 'POST', '/api/v1/entries', {
      clientId: uuidFrom(rnd),
      direction: 'in',
      declarationCode: p.code,
      at: ago(28 - i),
    });

  // Households: the index case's family, registered by the commune.
  const households: Json[] = [];
  for (const area of [A, B]) {
    const hh = await api.call(xa(area), 'POST', '/api/v1/households', {
      villageId: area.village,
      address: area === A ? 'Số 7, tổ dân phố 1' : 'Bản Noong Bua',
    });
    households.push(hh);
    const head = people.find((p) => p.area === area)!;
    await api.call(xa(area), 'POST', `/api/v1/households/${hh.id}/members`, {
      personId: head.id,
      relation: 'head',
    });
    for (const [rel, fullName, year] of [
      ['spouse', `${head.fullName.split(' ')[0]} Thị Vợ`, 1988],
      ['child', `${head.fullName.split(' ')[0]} Văn Con`, 2014],
    ] as const) {
      const p = await api.call(xa(area), 'POST', '/api/v1/persons', {
        fullName,
        birthYear: year,
        sex: rel === 'spouse' ? 'female' : 'male',
        address: { communeCode: area.code, villageId: area.village },
      });
      await api.call(xa(area), 'POST', `/api/v1/households/${hh.id}/members`, {
        personId: p.id,
        relation: rel,
      });
      people.push({ id: p.id, code: '', fullName, area, adult: rel === 'spouse' });
    }
  }

  // The market of Mường Thanh: QR check-ins put the index case beside shoppers.
  const market = await api.call(xa(A), 'POST', '/api/v1/venues', {
    name: 'Chợ trung tâm Mường Thanh',
    kind: 'market',
    communeCode: A.code,
  });
  for (const [i, p] of [people[0]!, people[3]!, people[6]!].entries()) {
    for (const [direction, h] of [
      ['in', 10 - i * 0.1],
      ['out', 9.5],
    ] as const)
      await api.call(null, 'POST', `/api/v1/venues/${market.id}/checkins`, {
        token: market.qr.token,
        declarationCode: p.code,
        direction,
        at: ago(h),
        clientId: uuidFrom(rnd),
      });
  }

  // The outbreak: the index case (Bắc Giang coach, fever at the checkpoint) is confirmed by
  // RT-PCR; its F1 are confirmed with quarantine orders; one F1 tests positive and becomes an
  // F0 linked to the source; a case in Thanh Hưng from the same coach.
  const cases: Json[] = [];
  const orders: Json[] = [];
  const openCase = async (area: Area, p: Person, hoursAgo: number, basis: string) => {
    const c = await api.call(xa(area), 'POST', '/api/v1/cases', {
      clientId: uuidFrom(rnd),
      personId: p.id,
      positiveSampleAt: ago(hoursAgo),
      foundBy: basis === 'pcr_positive' ? 'community' : 'quarantine',
      basis,
    });
    cases.push({ ...c, demoArea: area.code });
    return c;
  };
  const index = await openCase(A, people[0]!, 6, 'pcr_positive');
  const found = await api.call(xa(A), 'GET', `/api/v1/cases/${index.id}/contacts?depth=2`);
  const f1 = (found.f1 as Json[]).filter((c) => c.person.communeCode === A.code);
  for (const [i, c] of f1.entries()) {
    if (i === f1.length - 1 && i > 1) {
      await api.call(xa(A), 'POST', `/api/v1/contacts/${c.id}/reject`, {
        reason: 'Đi xe riêng, không tiếp xúc gần',
      });
      continue;
    }
    const r = await api.call(xa(A), 'POST', `/api/v1/contacts/${c.id}/confirm`, {
      reason: 'Xác minh qua điện thoại',
    });
    if (r.quarantineOrder) orders.push({ ...r.quarantineOrder, personId: c.person.id });
  }
  for (const [i, o] of orders.entries()) {
    if (i === 0) continue; // one still to reach: the board shows work to do
    await api.call(xa(A), 'POST', `/api/v1/tracing/tasks/${o.id}/events`, {
      kind: 'reached',
      at: ago(5),
    });
    await api.call(xa(A), 'POST', `/api/v1/tracing/tasks/${o.id}/events`, {
      kind: 'quarantined',
      at: ago(4.5),
    });
  }
  const second = orders[1] ? people.find((p) => p.id === orders[1]!.personId) : undefined;
  if (second) await openCase(A, second, 2, 'f1_rapid_positive');
  const inB = people.find((p, i) => i < 12 && p.area === B)!;
  await openCase(B, inB, 20, 'pcr_positive');

  // Clusters: the market in Mường Thanh, the village in Thanh Hưng.
  await api.call(xa(A), 'POST', '/api/v1/clusters', {
    name: 'Ổ dịch chợ trung tâm Mường Thanh',
    place: 'Chợ trung tâm Mường Thanh',
    communeCode: A.code,
    startDate: addDays(today, -1),
    caseIds: cases.filter((c) => c.demoArea === A.code).map((c) => c.id),
  });
  await api.call(xa(B), 'POST', '/api/v1/clusters', {
    name: 'Ổ dịch bản Noong Bua',
    communeCode: B.code,
    startDate: today,
    caseIds: [cases[cases.length - 1]!.id],
  });
  // The index case's street is locked down for 14 days (the seeds: phong tỏa tạm thời).
  await api.call(xa(A), 'POST', '/api/v1/lockdowns', {
    name: 'Phong tỏa tạm thời tổ dân phố 1',
    villageIds: [A.village],
    startDate: today,
    endDate: addDays(today, 13),
  });
  void households;
  return { now, today, people, cases, orders };
}

/** A UUID from the seeded generator: the same run replays the same client ids. */
export function uuidFrom(rnd: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rnd() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((parseInt(hex[16]!, 16) & 3) | 8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** What the later parts of the scenario share: times, the accounts' names, their sites. */
export function demoHelpers(db: Db, o: Outbreak) {
  return {
    ago: (h: number) => new Date(o.now - h * 3_600_000).toISOString(),
    xa: (a: Area) => `demo.xa.${a.tag}`,
    siteOf: async (username: string) =>
      (
        await db.query<{ site_id: string }>('SELECT site_id FROM users WHERE username = $1', [
          username,
        ])
      )[0]!.site_id,
    inArea: (a: Area) => o.people.filter((p) => p.area === a),
  };
}
