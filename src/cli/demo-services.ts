/**
 * Part 2 of the demo scenario (issue 16 item 8): what the services did for the outbreak of
 * part 1 — test orders, specimens and results (with a pooled sample of five), a centralised
 * quarantine facility with admissions, home treatment with monitoring readings, vaccinations
 * with a certificate, the week's levels per commune, a green-lane permit through the border
 * gate, supplies and violations. Every write goes through an endpoint as the account whose work
 * it is.
 */
import { addDays } from '../domain/dates.ts';
import type { Db } from '../server/db/index.ts';
import type { DemoApi, Json } from './demo-api.ts';
import { type Area, demoHelpers, type Outbreak, uuidFrom } from './demo-people.ts';

export async function loadServices(
  api: DemoApi,
  db: Db,
  areas: [Area, Area],
  o: Outbreak,
  rnd: () => number,
): Promise<void> {
  const [A, B] = areas;
  const { ago, xa, siteOf, inArea } = demoHelpers(db, o);

  // ---- testing: a screening campaign at the market, single RT-PCR orders, a pool of five
  for (const area of areas) {
    const lab = await siteOf(`demo.lab.${area.tag}`);
    const campaign = await api.call(xa(area), 'POST', '/api/v1/test-campaigns', {
      clientId: uuidFrom(rnd),
      name: `Sàng lọc ${area === A ? 'chợ trung tâm Mường Thanh' : 'bản Noong Bua'}`,
      kind: area === A ? 'market' : 'village',
      communeCode: area.code,
      startsOn: addDays(o.today, -1),
    });
    // Market sellers screened (not contacts: an F1 is tested singly, never pooled).
    const members: Json[] = [];
    for (const [i, name] of [
      'Lò Thị Bán',
      'Quàng Văn Chợ',
      'Cà Thị Rau',
      'Lường Văn Thịt',
      'Vì Thị Cá',
    ].entries())
      members.push(
        await api.call(xa(area), 'POST', '/api/v1/persons', {
          fullName: name,
          birthYear: 1965 + i * 6,
          sex: i % 2 ? 'male' : 'female',
          address: { communeCode: area.code, villageId: area.village },
        }),
      );
    const specimens: Json[] = [];
    for (const [i, p] of members.entries())
      specimens.push(
        await api.call(xa(area), 'POST', '/api/v1/specimens', {
          clientId: uuidFrom(rnd),
          personId: p.id,
          testType: 'rt_pcr',
          reason: 'screening',
          campaignId: campaign.id,
          labSiteId: lab,
          sampledAt: ago(20 - i * 0.1),
        }),
      );
    // Five specimens pooled at the lab (QĐ 2022/QĐ-BYT: up to 10); the pool is negative.
    const pool = await api.call(`demo.lab.${area.tag}`, 'POST', '/api/v1/pools', {
      clientId: uuidFrom(rnd),
      specimenIds: specimens.map((s) => s.id),
    });
    if (area === A)
      await api.call(`demo.lab.${area.tag}`, 'POST', `/api/v1/pools/${pool.id}/result`, {
        result: 'negative',
      });
    // Single orders for the quarantined contacts: sampled, and most resulted negative.
    for (const [i, p] of inArea(area).slice(5, 10).entries()) {
      const order = await api.call(xa(area), 'POST', '/api/v1/test-orders', {
        clientId: uuidFrom(rnd),
        personId: p.id,
        testType: 'rt_pcr',
        reason: 'contact',
        labSiteId: lab,
      });
      if (i === 4) continue; // one still waits for its sample
      const s = await api.call(xa(area), 'POST', '/api/v1/specimens', {
        clientId: uuidFrom(rnd),
        orderId: order.id,
        sampledAt: ago(18 - i),
        sampledBy: 'Lò Văn Tâm',
        samplePlace: `Trạm Y tế ${area === A ? 'phường Mường Thanh' : 'xã Thanh Hưng'}`,
      });
      if (i === 3) continue; // one sampled, not yet resulted
      await api.call(`demo.lab.${area.tag}`, 'POST', '/api/v1/results', {
        clientId: uuidFrom(rnd),
        specimenId: s.id,
        result: 'negative',
        resultedAt: ago(6 - i),
      });
    }
  }
  // ---- a school's results file (the lab's and school's import pages): the pupils' rapid tests,
  // one row the import refuses (a result it cannot read), as schools send them.
  const dmy = (h: number) =>
    new Date(o.now - h * 3_600_000 + 7 * 3_600_000)
      .toISOString()
      .slice(0, 10)
      .split('-')
      .reverse()
      .join('/');
  const csv = [
    'Họ tên,Năm sinh,Giới tính,CCCD,Loại XN,Kết quả,Ngày lấy mẫu',
    `Lò Văn Nam,2009,Nam,011209001001,Test nhanh,Âm tính,${dmy(26)}`,
    `Quàng Thị Na,2009,Nữ,011209001002,Test nhanh,Âm tính,${dmy(26)}`,
    `Lường Văn Khoa,2010,Nam,011210001003,Test nhanh,AT,${dmy(26)}`,
    `Cà Thị Mơ,2010,Nữ,011210001004,Test nhanh,nghi ngờ,${dmy(26)}`,
    `Tòng Văn Quý,2009,Nam,011209001005,Test nhanh,Âm tính,${dmy(25)}`,
  ].join('\r\n');
  // each account's import page lists its own uploads: the school, the lab, the commune and the
  // province each send the file (the later ones find the results already there: duplicates)
  for (const user of [`demo.school.${A.tag}`, `demo.lab.${A.tag}`, xa(A), 'demo.tinh']) {
    const job = await api.upload(
      user,
      '/api/v1/result-imports',
      'ket-qua-test-nhanh.csv',
      Buffer.from(csv),
    );
    // the import runs off the request path: wait for it, as the page does
    for (let i = 0; i < 600; i++) {
      const j = await api.call(user, 'GET', `/api/v1/result-imports/${job.id}`);
      if (j.status === 'done' || j.status === 'failed') break;
      await new Promise((res) => setTimeout(res, 100));
    }
  }

  // ---- care: admissions to the district's quarantine facility, home treatment of the F0s
  for (const area of areas) {
    const facilitySite = await siteOf(`demo.facility.${area.tag}`);
    const facility = (
      await db.query<{ id: string }>('SELECT id FROM care_facilities WHERE site_id = $1', [
        facilitySite,
      ])
    )[0];
    if (!facility) continue; // an older demo folder whose facility site has no facility
    const admitted = inArea(area).slice(10, 13);
    for (const [i, p] of admitted.entries())
      await api.call(`demo.huyen.${area.district}`, 'POST', '/api/v1/admissions', {
        clientId: uuidFrom(rnd),
        facilityId: facility.id,
        personId: p.id,
        purpose: 'quarantine',
        source: 'arrival',
        admittedOn: addDays(o.today, -i - 1),
      });
  }
  for (const [i, c] of o.cases.entries()) {
    const area = areas.find((a) => a.code === c.demoArea) ?? A;
    await api.call(xa(area), 'POST', `/api/v1/cases/${c.id}/care`, {
      clientId: uuidFrom(rnd),
      spo2: 98 - i,
      respiratoryRate: 16 + i,
    });
    // Twice-daily readings (QĐ 4038/QĐ-BYT); the last one of the second F0 falls to SpO2 95 %,
    // which raises an alert for the commune.
    for (const [j, spo2] of [98, 97, i === 1 ? 95 : 97].entries())
      await api.call(xa(area), 'POST', `/api/v1/cases/${c.id}/monitoring`, {
        clientId: uuidFrom(rnd),
        spo2,
        pulse: 80 + j * 4,
        respiratoryRate: 16 + j,
        ...(j === 2 && i === 1 ? { symptoms: ['cough'] } : {}),
      });
  }
  void B;
}
