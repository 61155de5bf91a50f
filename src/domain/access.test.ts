import { describe, expect, it } from 'vitest';
import {
  allowed,
  can,
  contains,
  mayGrant,
  roleMayHold,
  ROLES,
  type Action,
  type Place,
  type Role,
  type Scope,
} from './access.ts';

const province: Scope = { level: 'province', provinceCode: '11' };
const district: Scope = { level: 'district', provinceCode: '11', districtCode: '094' };
const commune: Scope = {
  level: 'commune',
  provinceCode: '11',
  districtCode: '094',
  communeCode: '03136',
};
const village: Scope = { ...commune, level: 'village', villageId: 'v1' };
const site: Scope = { ...commune, level: 'site', siteId: 's1' };

const inCommune: Place = {
  provinceCode: '11',
  districtCode: '094',
  communeCode: '03136',
  villageId: 'v1',
  siteId: 's1',
};
const otherVillage: Place = { ...inCommune, villageId: 'v2', siteId: null };
const otherCommuneSameDistrict: Place = {
  provinceCode: '11',
  districtCode: '094',
  communeCode: '03145',
};
const otherDistrict: Place = { provinceCode: '11', districtCode: '100', communeCode: '03331' };
const otherProvince: Place = { provinceCode: '20', districtCode: '178', communeCode: '06085' };

describe('contains: scope × place', () => {
  const table: [string, Scope, Place, boolean][] = [
    ['province ⊇ its commune', province, inCommune, true],
    ['province ⊇ its other district', province, otherDistrict, true],
    ['province ⊉ another province', province, otherProvince, false],
    ['district ⊇ its commune', district, inCommune, true],
    ['district ⊇ its other commune', district, otherCommuneSameDistrict, true],
    ['district ⊉ another district', district, otherDistrict, false],
    ['commune ⊇ its village', commune, inCommune, true],
    ['commune ⊇ its other village', commune, otherVillage, true],
    ['commune ⊉ a neighbour commune', commune, otherCommuneSameDistrict, false],
    ['commune ⊉ another district', commune, otherDistrict, false],
    ['village ⊇ its own records', village, inCommune, true],
    ['village ⊉ another village of its commune', village, otherVillage, false],
    ['site ⊇ its own records', site, inCommune, true],
    ['site ⊉ the rest of its commune', site, otherVillage, false],
    [
      'a record without a commune is outside a commune scope',
      commune,
      { provinceCode: '11', districtCode: '094' },
      false,
    ],
    [
      'a record without a district is outside a district scope',
      district,
      { provinceCode: '11' },
      false,
    ],
  ];
  it.each(table)('%s', (_name, scope, place, expected) => {
    expect(contains(scope, place)).toBe(expected);
  });
});

describe('role × action', () => {
  const table: [Role, Action, boolean][] = [
    ['admin', 'users.manage', true],
    ['admin', 'audit.read', true],
    ['province', 'users.manage', false],
    ['province', 'audit.read', false],
    ['district_health', 'users.read', true],
    ['district_health', 'users.manage', false],
    ['commune_health', 'villages.write', true],
    ['commune_health', 'users.read', false],
    ['community_team', 'villages.write', false],
    ['community_team', 'villages.read', true],
    ['checkpoint_officer', 'villages.read', false],
    ['lab', 'users.read', false],
    ['commune_health', 'persons.merge', true],
    ['district_health', 'households.write', true],
    ['province', 'persons.read', true],
    ['community_team', 'persons.write', true],
    ['community_team', 'persons.merge', false],
    ['checkpoint_officer', 'persons.write', true],
    ['checkpoint_officer', 'households.read', false],
    ['lodging_operator', 'persons.read', true],
    ['lodging_operator', 'persons.merge', false],
    ['lab', 'persons.read', true],
    ['lab', 'persons.merge', false],
    ['admin', 'persons.read', false],
    ['lab', 'pools.write', true],
    ['lab', 'cases.write', false],
    ['test_reporter', 'tests.import', true],
    ['test_reporter', 'pools.write', false],
    ['test_reporter', 'tests.stats', false],
    ['commune_health', 'cases.write', true],
    ['commune_health', 'labs.manage', false],
    ['community_team', 'contacts.write', true],
    ['community_team', 'cases.write', false],
    ['checkpoint_officer', 'cases.read', false],
    ['admin', 'cases.read', false],
    ['vaccination_site', 'vaccinations.write', true],
    ['vaccination_site', 'certificates.issue', true],
    ['vaccination_site', 'coverage.read', false],
    ['vaccination_site', 'vaccines.manage', false],
    ['vaccination_site', 'persons.read', true],
    ['vaccination_site', 'persons.merge', false],
    ['commune_health', 'vaccinations.write', true],
    ['commune_health', 'coverage.read', true],
    ['commune_health', 'vaccines.manage', false],
    ['district_health', 'vaccines.manage', true],
    ['province', 'vaccines.manage', true],
    ['province', 'certificates.issue', true],
    ['community_team', 'vaccinations.read', false],
    ['admin', 'vaccinations.read', false],
    ['lab', 'certificates.issue', false],
    // issue 17 (green lane)
    ['transport_company', 'greenlane.apply', true],
    ['transport_company', 'greenlane.decide', false],
    ['transport_company', 'persons.merge', false],
    ['transport_company', 'tests.read', false],
    ['transport_company', 'gates.board', false],
    ['transport_authority', 'greenlane.decide', true],
    ['transport_authority', 'persons.read', false],
    ['transport_authority', 'greenlane.apply', false],
    ['province', 'greenlane.decide', true],
    ['district_health', 'greenlane.decide', false],
    ['checkpoint_officer', 'greenlane.pass', true],
    ['checkpoint_officer', 'greenlane.decide', false],
    ['border_officer', 'greenlane.pass', true],
    ['border_officer', 'border.write', true], // issue 17 item 5
    ['district_health', 'border.read', true],
    ['district_health', 'border.write', false],
  ];
  it.each(table)('%s may %s: %s', (role, action, expected) => {
    expect(can(role, action)).toBe(expected);
  });

  it('every role may read the geography', () => {
    for (const role of ROLES) expect(can(role, 'geo.read')).toBe(true);
  });
});

describe('issue 17: a transport company is held to its own site', () => {
  const company: Scope = { ...commune, level: 'site', siteId: 'company-a' };
  it('holds only at a site of kind transport_company, and sees only its own records', () => {
    expect(roleMayHold('transport_company', 'site', 'transport_company')).toBe(true);
    expect(roleMayHold('transport_company', 'site', 'enterprise')).toBe(false);
    expect(roleMayHold('transport_company', 'commune')).toBe(false);
    expect(roleMayHold('transport_authority', 'province')).toBe(true);
    expect(roleMayHold('transport_authority', 'district')).toBe(false);
    const actor = { role: 'transport_company' as Role, scope: company };
    expect(allowed(actor, 'greenlane.read', { ...inCommune, siteId: 'company-a' })).toBe(true);
    expect(allowed(actor, 'greenlane.read', { ...inCommune, siteId: 'company-b' })).toBe(false);
    expect(roleMayHold('checkpoint_officer', 'site', 'transit_yard')).toBe(true);
  });
});

describe('allowed: role × jurisdiction × action', () => {
  const table: [Role, Scope, Action, Place, boolean][] = [
    ['commune_health', commune, 'villages.write', inCommune, true],
    ['commune_health', commune, 'villages.write', otherCommuneSameDistrict, false],
    ['commune_health', commune, 'villages.read', otherDistrict, false],
    ['district_health', district, 'villages.write', otherCommuneSameDistrict, true],
    ['district_health', district, 'villages.write', otherDistrict, false],
    ['community_team', village, 'villages.write', inCommune, false],
    ['community_team', village, 'villages.read', inCommune, true],
    ['admin', province, 'users.manage', otherDistrict, true],
    ['admin', province, 'users.manage', otherProvince, false],
    ['admin', district, 'users.manage', otherDistrict, false],
    ['province', province, 'users.manage', inCommune, false],
    ['commune_health', commune, 'persons.read', inCommune, true],
    ['commune_health', commune, 'persons.merge', otherCommuneSameDistrict, false],
    ['community_team', village, 'persons.write', inCommune, true],
    ['community_team', village, 'persons.read', otherVillage, false],
    ['checkpoint_officer', site, 'persons.read', inCommune, true],
    ['checkpoint_officer', site, 'persons.read', otherVillage, false],
  ];
  it.each(table)('%s at %o may %s %o: %s', (role, scope, action, place, expected) => {
    expect(allowed({ role, scope }, action, place)).toBe(expected);
  });
});

describe('roleMayHold', () => {
  it('places roles at their levels only', () => {
    expect(roleMayHold('commune_health', 'commune')).toBe(true);
    expect(roleMayHold('commune_health', 'district')).toBe(false);
    expect(roleMayHold('checkpoint_officer', 'site', 'checkpoint')).toBe(true);
    expect(roleMayHold('checkpoint_officer', 'site', 'lab')).toBe(false);
    expect(roleMayHold('checkpoint_officer', 'site')).toBe(false);
    expect(roleMayHold('admin', 'commune')).toBe(false);
  });
});

describe('mayGrant: an admin places users inside their own jurisdiction only', () => {
  const provinceAdmin = { role: 'admin' as const, scope: province };
  const districtAdmin = { role: 'admin' as const, scope: district };
  const table: [
    string,
    { role: Role; scope: Scope },
    Role,
    Scope,
    string | null,
    ReturnType<typeof mayGrant>,
  ][] = [
    ['province admin → commune user', provinceAdmin, 'commune_health', commune, null, { ok: true }],
    ['province admin → district admin', provinceAdmin, 'admin', district, null, { ok: true }],
    [
      'province admin → another province',
      provinceAdmin,
      'commune_health',
      { level: 'commune', ...otherProvince },
      null,
      { ok: false, reason: 'outside_scope' },
    ],
    ['district admin → own commune', districtAdmin, 'commune_health', commune, null, { ok: true }],
    [
      'district admin → another district',
      districtAdmin,
      'commune_health',
      { level: 'commune', ...otherDistrict },
      null,
      { ok: false, reason: 'outside_scope' },
    ],
    [
      'district admin → province user',
      districtAdmin,
      'province',
      province,
      null,
      { ok: false, reason: 'outside_scope' },
    ],
    [
      'district admin → checkpoint in district',
      districtAdmin,
      'checkpoint_officer',
      site,
      'checkpoint',
      { ok: true },
    ],
    [
      'wrong level for role',
      provinceAdmin,
      'commune_health',
      district,
      null,
      { ok: false, reason: 'level_not_allowed' },
    ],
    [
      'a non-admin',
      { role: 'province', scope: province },
      'commune_health',
      commune,
      null,
      { ok: false, reason: 'not_permitted' },
    ],
  ];
  it.each(table)('%s', (_n, actor, role, target, siteKind, expected) => {
    expect(mayGrant(actor, role, target, siteKind as never)).toEqual(expected);
  });
});
