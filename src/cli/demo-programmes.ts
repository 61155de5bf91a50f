/**
 * Part 3 of the demo scenario (issue 16 item 8): vaccination with a certificate and coverage
 * targets, the week's epidemic levels, a green-lane permit through the Tây Trang gate, supplies
 * and violations — each through its endpoint, as the account whose work it is.
 */
import { addDays } from '../domain/dates.ts';
import type { Db } from '../server/db/index.ts';
import type { DemoApi, Json } from './demo-api.ts';
import { type Area, demoHelpers, type Outbreak, uuidFrom } from './demo-people.ts';

export async function loadProgrammes(
  api: DemoApi,
  db: Db,
  areas: [Area, Area],
  o: Outbreak,
  rnd: () => number,
): Promise<void> {
  const [A] = areas;
  const { ago, xa, siteOf, inArea } = demoHelpers(db, o);

  // ---- vaccination: two AstraZeneca doses 12 weeks apart for most, a first dose now due for
  // others (the due list), a certificate, and the communes' target populations (coverage).
  for (const area of areas) {
    const site = `demo.vaccinationsite.${area.tag}`;
    const residents = inArea(area)
      .filter((p) => p.adult)
      .slice(0, 8);
    for (const [i, p] of residents.entries()) {
      const first = addDays(o.today, -150 + i * 3);
      await api.call(site, 'POST', '/api/v1/vaccinations', {
        clientId: uuidFrom(rnd),
        personId: p.id,
        product: 'vaxzevria',
        date: first,
        lotNumber: `AZ${2100 + i}`,
        vaccinator: 'Lò Thị Hạnh',
      });
      if (i >= 5) continue; // due for the second dose
      await api.call(site, 'POST', '/api/v1/vaccinations', {
        clientId: uuidFrom(rnd),
        personId: p.id,
        product: 'vaxzevria',
        date: addDays(first, 84),
        lotNumber: `AZ${2200 + i}`,
        vaccinator: 'Lò Thị Hạnh',
      });
    }
    await api.call(xa(area), 'POST', '/api/v1/certificates', {
      clientId: uuidFrom(rnd),
      personId: residents[1]!.id,
    });
    const population = (
      await db.query<{ population: number | null }>(
        'SELECT population FROM admin_units WHERE code = $1',
        [area.code],
      )
    )[0]?.population;
    await api.call(xa(area), 'PUT', '/api/v1/vaccination-targets', {
      unitCode: area.code,
      ageGroup: '18+',
      population: Math.round((population ?? 8000) * 0.68),
      source: 'Niên giám thống kê tỉnh Điện Biên 2020 (ước tính 68 % từ 18 tuổi)',
    });
  }

  // ---- levels: this week's assessment of each commune, published by the province.
  for (const area of areas)
    await api.call(xa(area), 'POST', '/api/v1/levels/compute', { unit: area.code, date: o.today });
  await api.call('demo.tinh', 'POST', '/api/v1/levels/publish', { unit: '11', date: o.today });

  // ---- green lane: Hà Nội – Tây Trang through Mường Thanh's checkpoint and gate.
  const yard = await api.call('demo.quantri', 'POST', '/api/v1/sites', {
    kind: 'transit_yard',
    name: 'Bãi trung chuyển Tây Trang (demo)',
    communeCode: A.code,
  });
  const route = await api.call('demo.sgtvt', 'POST', '/api/v1/green-lane/routes', {
    name: 'Hà Nội – Cửa khẩu Tây Trang',
    origin: 'Hà Nội',
    checkpointSiteId: await siteOf(`demo.checkpoint.${A.tag}`),
    yardSiteId: yard.id,
    gateSiteId: await siteOf(`demo.bordergate.${A.tag}`),
    toYardMinutes: 120,
    toGateMinutes: 60,
  });
  const company = `demo.transportcompany.${A.tag}`;
  const vehicle = await api.call(company, 'POST', '/api/v1/green-lane/vehicles', {
    clientId: uuidFrom(rnd),
    plate: '27C-045.67',
    kind: 'truck',
  });
  const crew: Json[] = [];
  for (const [i, fullName] of ['Trần Văn Tài', 'Lê Văn Phụ'].entries()) {
    const p = await api.call(company, 'POST', '/api/v1/persons', {
      fullName,
      birthYear: 1978 + i * 7,
      sex: 'male',
      idType: 'cccd',
      idNumber: `01108${String(1000000 + i * 4241).padStart(7, '0')}`,
      address: { communeCode: A.code },
    });
    crew.push(p);
    await api.call('demo.tinh', 'POST', '/api/v1/results', {
      clientId: uuidFrom(rnd),
      personId: p.id,
      testType: 'rt_pcr',
      sampledAt: ago(20 + i * 4),
      result: 'negative',
    });
  }
  const application = await api.call(company, 'POST', '/api/v1/green-lane/applications', {
    clientId: uuidFrom(rnd),
    vehicleId: vehicle.id,
    routeId: route.id,
    cargo: 'Hàng nông sản (chuối, thanh long) xuất khẩu',
    windowFrom: ago(2),
    windowTo: new Date(o.now + 48 * 3_600_000).toISOString(),
    crew: [
      { personId: crew[0]!.id, role: 'driver' },
      { personId: crew[1]!.id, role: 'assistant' },
    ],
  });
  const permit = await api.call(
    'demo.sgtvt',
    'POST',
    `/api/v1/green-lane/applications/${application.id}/decision`,
    { decision: 'grant' },
  );
  await api.call(`demo.checkpoint.${A.tag}`, 'POST', '/api/v1/green-lane/passages', {
    clientId: uuidFrom(rnd),
    point: 'first_checkpoint',
    plate: '27C-045.67',
    qr: permit.qr,
  });
  // The truck reaches the Tây Trang gate (the gate board counts it); on its way it was also
  // scanned at Thanh Hưng's checkpoint, off its route: the district gets an alert.
  await api.call(`demo.checkpoint.${areas[1].tag}`, 'POST', '/api/v1/green-lane/passages', {
    clientId: uuidFrom(rnd),
    point: 'first_checkpoint',
    plate: '27C-045.67',
    qr: permit.qr,
  });
  await api.call(`demo.bordergate.${A.tag}`, 'POST', '/api/v1/green-lane/passages', {
    clientId: uuidFrom(rnd),
    point: 'gate',
    plate: '27C-045.67',
  });
  // A second truck is in the loop now: it waits in the gate's queue.
  const second = await api.call(company, 'POST', '/api/v1/green-lane/vehicles', {
    clientId: uuidFrom(rnd),
    plate: '27C-088.12',
    kind: 'truck',
  });
  const secondPermit = await api.call(
    'demo.sgtvt',
    'POST',
    `/api/v1/green-lane/applications/${
      (
        await api.call(company, 'POST', '/api/v1/green-lane/applications', {
          clientId: uuidFrom(rnd),
          vehicleId: second.id,
          routeId: route.id,
          cargo: 'Gạo xuất khẩu',
          windowFrom: ago(1),
          windowTo: new Date(o.now + 24 * 3_600_000).toISOString(),
          crew: [{ personId: crew[1]!.id, role: 'driver' }],
        })
      ).id
    }/decision`,
    { decision: 'grant' },
  );
  await api.call(`demo.checkpoint.${A.tag}`, 'POST', '/api/v1/green-lane/passages', {
    clientId: uuidFrom(rnd),
    point: 'first_checkpoint',
    plate: '27C-088.12',
    qr: secondPermit.qr,
  });
  // A third application waits for review (the authority's queue).
  await api.call(company, 'POST', '/api/v1/green-lane/applications', {
    clientId: uuidFrom(rnd),
    vehicleId: vehicle.id,
    routeId: route.id,
    cargo: 'Vật tư y tế',
    windowFrom: new Date(o.now + 24 * 3_600_000).toISOString(),
    windowTo: new Date(o.now + 72 * 3_600_000).toISOString(),
    crew: [{ personId: crew[0]!.id, role: 'driver' }],
  });

  // ---- supplies: the province receives, transfers to the district and the commune, which issues.
  const holder = async (user: string, unitCode: string) =>
    api.call(user, 'POST', '/api/v1/supplies/holders', { kind: 'unit', unitCode });
  const province = await holder('demo.tinh', '11');
  const district = await holder(`demo.huyen.${A.district}`, A.district);
  const commune = await holder(xa(A), A.code);
  const move = (user: string, body: Json) =>
    api.call(user, 'POST', '/api/v1/supplies/movements', { clientId: uuidFrom(rnd), ...body });
  for (const [item, qty] of [
    ['n95', 5000],
    ['rapid_test', 3000],
    ['mask', 800],
  ] as const) {
    await move('demo.tinh', {
      kind: 'receipt',
      itemCode: item,
      holderId: province.id,
      quantity: qty,
    });
    await move('demo.tinh', {
      kind: 'transfer',
      itemCode: item,
      holderId: province.id,
      toHolderId: district.id,
      quantity: qty / 5,
    });
    await move(`demo.huyen.${A.district}`, {
      kind: 'transfer',
      itemCode: item,
      holderId: district.id,
      toHolderId: commune.id,
      quantity: qty / 20,
    });
    await move(xa(A), { kind: 'issue', itemCode: item, holderId: commune.id, quantity: qty / 50 });
  }

  // ---- violations (Nghị định 117/2020/NĐ-CP): no mask, a false declaration, a quarantine escape.
  for (const [i, [area, typeCode, decision, fineAmount]] of (
    [
      [A, 'no_mask', 'fine', 2_000_000],
      [A, 'false_declaration', 'warning', null],
      [areas[1], 'quarantine_escape', 'fine', 15_000_000],
    ] as const
  ).entries())
    await api.call(xa(area), 'POST', '/api/v1/violations', {
      clientId: uuidFrom(rnd),
      personId: inArea(area)[4 + i]!.id,
      typeCode,
      occurredOn: addDays(o.today, -i),
      decision,
      ...(fineAmount ? { fineAmount } : {}),
      paid: i === 0,
    });
}
