import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Role, Scope, SiteKind } from '../domain/access.ts';
import { ROLE_LABELS } from '../domain/labels.ts';
import { DEMO_PASSWORD, hashPassword } from '../server/auth/passwords.ts';
import type { Db } from '../server/db/index.ts';
import { insertUser } from '../server/users/routes.ts';
import type { Config } from '../server/config.ts';
import { openDemoApi } from './demo-api.ts';

// The demo accounts' password, printed in the README: only demo mode accepts it (issue 10).
export { DEMO_PASSWORD };

/** The two demo communes of Điện Biên (11): a ward of the city and a rural commune. */
export const DEMO_COMMUNES = [
  { code: '03136', districtCode: '094', tag: 'muongthanh' }, // Phường Mường Thanh, TP Điện Biên Phủ
  { code: '03331', districtCode: '100', tag: 'thanhhung' }, // Xã Thanh Hưng, huyện Điện Biên
] as const;

const SITE_ROLES: [Role, SiteKind, string][] = [
  ['checkpoint_officer', 'checkpoint', 'Chốt kiểm dịch'],
  ['lodging_operator', 'lodging', 'Nhà nghỉ'],
  ['lab', 'lab', 'Phòng xét nghiệm'],
  ['facility_manager', 'facility', 'Khu cách ly tập trung'],
  ['vaccination_site', 'vaccination_site', 'Điểm tiêm'],
  ['border_officer', 'border_gate', 'Cửa khẩu'],
  ['test_reporter', 'school', 'Trường THCS'],
  // issue 17 (green lane): a transport company's own account (issue 16 item 8: every role)
  ['transport_company', 'transport_company', 'Công ty vận tải'],
];

/**
 * Demo accounts, one per role, in two communes of Điện Biên, so anyone can log in as each and
 * see that the other commune's records stay out of reach. Running it again changes nothing.
 */
export async function loadDemo(
  db: Db,
  opts: { dccDir?: string; config?: Config } = {},
): Promise<string[]> {
  const province = '11';
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const lines: string[] = [];
  const add = async (username: string, role: Role, scope: Scope, fullName: string) => {
    const row = await insertUser(db, {
      username,
      fullName,
      passwordHash,
      role,
      scope,
      createdBy: null,
    });
    lines.push(
      `${username.padEnd(32)} ${role.padEnd(20)} ${ROLE_LABELS[role].vi}${row ? '' : ' (đã có)'}`,
    );
  };
  await add(
    'demo.tinh',
    'province',
    { level: 'province', provinceCode: province },
    'Sở Y tế Điện Biên (demo)',
  );
  await add(
    'demo.quantri',
    'admin',
    { level: 'province', provinceCode: province },
    'Quản trị (demo)',
  );
  await add(
    'demo.sgtvt',
    'transport_authority',
    { level: 'province', provinceCode: province },
    'Sở Giao thông vận tải Điện Biên (demo)',
  );
  for (const c of DEMO_COMMUNES) {
    const name = (
      await db.query<{ short_name: string }>('SELECT short_name FROM admin_units WHERE code = $1', [
        c.code,
      ])
    )[0]!.short_name;
    const area = { provinceCode: province, districtCode: c.districtCode, communeCode: c.code };
    await add(
      `demo.huyen.${c.districtCode}`,
      'district_health',
      { level: 'district', provinceCode: province, districtCode: c.districtCode },
      `TTYT huyện ${c.districtCode} (demo)`,
    );
    await add(
      `demo.xa.${c.tag}`,
      'commune_health',
      { level: 'commune', ...area },
      `Trạm Y tế ${name} (demo)`,
    );
    const village = await db.query<{ id: string }>(
      `INSERT INTO villages (province_code, district_code, commune_code, name, kind, search_name)
       VALUES ($1,$2,$3,$4,'to_dan_pho',$5)
       ON CONFLICT (commune_code, search_name) DO UPDATE SET updated_at = villages.updated_at RETURNING id`,
      [province, c.districtCode, c.code, 'Tổ dân phố 1', 'to dan pho 1'],
    );
    await add(
      `demo.to.${c.tag}`,
      'community_team',
      { level: 'village', ...area, villageId: village[0]!.id },
      `Tổ COVID cộng đồng ${name} (demo)`,
    );
    for (const [role, kind, label] of SITE_ROLES) {
      const siteName = `${label} ${name} (demo)`;
      const existing = await db.query<{ id: string }>(
        'SELECT id FROM sites WHERE name = $1 AND commune_code = $2',
        [siteName, c.code],
      );
      // issue 16 item 8: the facility manager's site is a care facility (rooms, beds), made by
      // the district through the facilities endpoint, so its pages have a facility to show.
      const facility =
        kind === 'facility' && !existing[0] && opts.config
          ? await demoFacility(db, opts.config, `demo.huyen.${c.districtCode}`, siteName, c.code)
          : undefined;
      const siteId =
        facility ??
        existing[0]?.id ??
        (
          await db.query<{ id: string }>(
            'INSERT INTO sites (kind, name, province_code, district_code, commune_code) VALUES ($1,$2,$3,$4,$5) RETURNING id',
            [kind, siteName, province, c.districtCode, c.code],
          )
        )[0]!.id;
      await add(
        `demo.${kind.replace(/_/g, '')}.${c.tag}`,
        role,
        { level: 'site', ...area, siteId },
        siteName,
      );
    }
  }
  const dcc = opts.dccDir ? await ensureDemoSigner(opts.dccDir) : [];
  return [`Demo accounts (password for all: ${DEMO_PASSWORD}):`, ...lines, ...dcc];
}

/**
 * A demo EU-DCC signing key and self-signed signer certificate in `dir` (kept when present), and
 * the environment lines that make the server sign certificates with them.
 */
export async function ensureDemoSigner(dir: string): Promise<string[]> {
  const key = join(dir, 'dsc-key.pem');
  const cert = join(dir, 'dsc-cert.pem');
  let made = false;
  if (!existsSync(key) || !existsSync(cert)) {
    const { generateDemoSigner } = await import('../server/vaccination/dcc-keys.ts');
    const s = await generateDemoSigner({ commonName: 'epiguard demo DSC Điện Biên' });
    await mkdir(dir, { recursive: true });
    await writeFile(key, s.privateKeyPem, { mode: 0o600 });
    await writeFile(cert, s.certificatePem);
    made = true;
  }
  return [
    `Demo certificate signing key ${made ? 'created' : 'kept'} in ${dir} (not for production): the`,
    `server signs with it when EPIGUARD_DCC_KEY_FILE / EPIGUARD_DCC_CERT_FILE are not set.`,
  ];
}

/** A centralised quarantine facility with rooms, created by the district; returns its site. */
async function demoFacility(
  db: Db,
  config: Config,
  district: string,
  name: string,
  communeCode: string,
): Promise<string> {
  const api = await openDemoApi(db, config);
  try {
    const f = await api.call(district, 'POST', '/api/v1/facilities', {
      kind: 'quarantine',
      name,
      communeCode,
      rooms: ['P101', 'P102', 'P103', 'P201', 'P202'].map((room) => ({ name: room, ordinary: 4 })),
      staffOnDuty: 8,
      oxygenCylinders: 20,
    });
    return f.siteId as string;
  } finally {
    await api.close();
  }
}
