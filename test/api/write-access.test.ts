import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { can, ROLE_POLICIES, ROLES, type Role } from '../../src/domain/access.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';

/**
 * Issue 10: every role against every write endpoint. The action each write endpoint requires is
 * written down here (a new endpoint, or a changed requirement, fails until this table says so);
 * for every role the expectation comes from the access policy (src/domain/access.ts): a role
 * without the action is refused with 404 before its request body is even looked at, and the
 * refusal is audited; a role with it is not refused for its role.
 */
const WRITE_ENDPOINTS: Record<string, string | null> = {
  // No role check: anonymous or every logged-in user (each does its own check).
  'POST /api/v1/auth/login': null,
  'POST /api/v1/auth/logout': null,
  'POST /api/v1/auth/password': null,
  'DELETE /api/v1/auth/sessions/:id': null,
  'POST /api/v1/notices/:id/read': null,
  'POST /api/v1/venues/:id/checkins': null,
  'POST /api/v1/declarations': null,
  'POST /api/v1/public/results/lookup': null,
  'POST /api/v1/public/personal-qr': null,
  'POST /api/v1/public/certificates/verify': null,
  // Role-checked.
  'DELETE /api/v1/dcc/trust-list/:kid': 'certificates.trust',
  'DELETE /api/v1/households/:id/members/:personId': 'households.write',
  'PATCH /api/v1/epidemic-areas/:id': 'areas.manage',
  'PATCH /api/v1/persons/:id': 'persons.write',
  'PATCH /api/v1/users/:id': 'users.manage',
  'PATCH /api/v1/villages/:id': 'villages.write',
  'POST /api/v1/cases': 'cases.write',
  'POST /api/v1/cases/:id/interview-contacts': 'contacts.write',
  'POST /api/v1/cases/:id/status': 'cases.write',
  'POST /api/v1/cases/:id/transfer': 'cases.write',
  'POST /api/v1/certificates': 'certificates.issue',
  'POST /api/v1/clusters': 'clusters.write',
  'POST /api/v1/clusters/:id/cases': 'clusters.write',
  'POST /api/v1/clusters/:id/close': 'clusters.write',
  'POST /api/v1/contacts/:id/confirm': 'contacts.write',
  'POST /api/v1/contacts/:id/reject': 'contacts.write',
  'POST /api/v1/dcc/trust-list': 'certificates.trust',
  'POST /api/v1/entries': 'entries.write',
  'POST /api/v1/entries/:id/override': 'entries.override',
  'POST /api/v1/epidemic-areas': 'areas.manage',
  'POST /api/v1/fhir/Bundle': 'fhir.exchange',
  'POST /api/v1/follow-ups/:id/events': 'followups.write',
  'POST /api/v1/households': 'households.write',
  'POST /api/v1/households/:id/members': 'households.write',
  'POST /api/v1/lockdowns': 'clusters.write',
  'POST /api/v1/persons': 'persons.write',
  'POST /api/v1/persons/:id/merge': 'persons.merge',
  'POST /api/v1/pools': 'pools.write',
  'POST /api/v1/pools/:id/result': 'pools.write',
  'POST /api/v1/result-imports': 'tests.import',
  'POST /api/v1/results': 'tests.write',
  'POST /api/v1/sites': 'sites.manage',
  'POST /api/v1/specimens': 'tests.write',
  'POST /api/v1/test-campaigns': 'tests.order',
  'POST /api/v1/test-orders': 'tests.order',
  'POST /api/v1/tracing/tasks/:id/assign': 'contacts.write',
  'POST /api/v1/tracing/tasks/:id/events': 'contacts.write',
  'POST /api/v1/users': 'users.manage',
  'POST /api/v1/vaccination-exemptions': 'vaccinations.write',
  'POST /api/v1/vaccination-reactions': 'vaccinations.write',
  'POST /api/v1/vaccination-rounds': 'vaccines.manage',
  'POST /api/v1/vaccination-screenings': 'vaccinations.write',
  'POST /api/v1/vaccination-sessions': 'vaccinations.write',
  'POST /api/v1/vaccinations': 'vaccinations.write',
  'POST /api/v1/vaccine-allocations': 'vaccines.manage',
  'POST /api/v1/vaccine-distributions': 'vaccines.manage',
  'POST /api/v1/vaccine-lots': 'vaccines.manage',
  'POST /api/v1/vaccine-shipments': 'vaccines.manage',
  'POST /api/v1/vaccine-wastage': 'vaccinations.write',
  'POST /api/v1/venues': 'venues.write',
  'POST /api/v1/villages': 'villages.write',
  'POST /api/v1/villages/import': 'villages.write',
  'PUT /api/v1/labs/:siteId/capacity': 'labs.manage',
  'PUT /api/v1/result-imports/mapping': 'tests.import',
  'DELETE /api/v1/users/:id/login-blocks': 'users.manage',
  'POST /api/v1/declarations/:code/match': 'entries.write',
  // Quarantine and treatment (issue 11).
  'PATCH /api/v1/facilities/:id': 'facilities.manage',
  'POST /api/v1/facilities': 'facilities.manage',
  'POST /api/v1/admissions': 'admissions.write',
  'POST /api/v1/admissions/:id/events': 'admissions.write',
  'POST /api/v1/admissions/:id/release': 'admissions.write',
  'POST /api/v1/alerts/:id/close': 'alerts.write',
  'POST /api/v1/alerts/:id/transfer': 'alerts.write',
  'POST /api/v1/cases/:id/care': 'care.write',
  'POST /api/v1/cases/:id/monitoring': 'care.write',
  'POST /api/v1/treatments/:id/discharge': 'care.write',
  // The province's picture (issue 12).
  'POST /api/v1/levels/publish': 'levels.publish',
  'PUT /api/v1/levels/capacity': 'levels.capacity',
  'POST /api/v1/projections/chime': 'projections.run',
  'POST /api/v1/projections/scenario': 'projections.run',
  'POST /api/v1/projections/scenario.xlsx': 'projections.run',
  'POST /api/v1/reports/steering.docx': 'reports.steering',
  // issue 18 (rule sets): a province-level administrator or officer adds and previews versions
  'POST /api/v1/rule-sets': 'rulesets.manage',
  'POST /api/v1/rule-sets/:id/preview': 'rulesets.manage',
  // Writes guarded by a read action: area officers enter their own denominators; levels are
  // computed as drafts (nothing is published) and evaluated by hand without storing.
  'PUT /api/v1/vaccination-targets': 'coverage.read',
  'POST /api/v1/levels/compute': 'levels.read',
  'POST /api/v1/levels/evaluate': 'levels.read',
  // A person search is a read; its words travel in the body, out of URLs and logs (issue 10).
  'POST /api/v1/persons/search': 'persons.read',
  // The green lane (issue 17).
  'POST /api/v1/public/green-lane/verify': null,
  'POST /api/v1/green-lane/routes': 'greenlane.manage',
  'POST /api/v1/green-lane/vehicles': 'greenlane.apply',
  'POST /api/v1/green-lane/applications': 'greenlane.apply',
  'POST /api/v1/green-lane/applications/:id/decision': 'greenlane.decide',
  'POST /api/v1/green-lane/permits/:id/revoke': 'greenlane.decide',
  'POST /api/v1/green-lane/alerts/:id/close': 'greenlane.alerts',
  'POST /api/v1/green-lane/passages': 'greenlane.pass',
  // Supplies and enforcement (issue 18).
  'POST /api/v1/supplies/items': 'supplies.manage',
  'POST /api/v1/supplies/holders': 'supplies.write',
  'POST /api/v1/supplies/movements': 'supplies.write',
  'POST /api/v1/supplies/minimums': 'supplies.write',
  'POST /api/v1/violations': 'violations.write',
  'POST /api/v1/violations/:id/payment': 'violations.write',
  // issue 18 item 2 (community teams)
  'POST /api/v1/teams': 'teams.manage',
  'PATCH /api/v1/teams/:id': 'teams.manage',
  'POST /api/v1/teams/:id/members': 'teams.manage',
  'DELETE /api/v1/teams/:id/members/:personId': 'teams.manage',
  'POST /api/v1/teams/:id/households': 'teams.manage',
  'POST /api/v1/teams/:id/visits': 'teams.work',
  // Workplaces and schools (issue 18 item 4).
  'POST /api/v1/workplaces': 'workplaces.manage',
  'POST /api/v1/workplaces/:id/assessments': 'workplaces.assess',
  // Border posts, yard capacity (issue 17).
  'POST /api/v1/border/reports': 'border.write',
  'PUT /api/v1/green-lane/yards/:siteId': 'greenlane.manage',
};

let t: TestApp;
const cookies = {} as Record<Role, string>;
const A = { commune: '03136', district: '094' };

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

beforeAll(async () => {
  t = await startTestApp();
  const admin = await t.login('admin');
  cookies.admin = admin;
  const site = async (kind: string) => {
    const r = await t.as(admin, 'POST', '/api/v1/sites', {
      kind,
      name: `Cơ sở ${kind} (kiểm thử quyền)`,
      communeCode: A.commune,
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json().id as string;
  };
  const jurisdiction = async (role: Role): Promise<Json> => {
    const p = ROLE_POLICIES[role];
    if (p.levels.includes('province')) return { level: 'province', unitCode: '11' };
    if (p.levels.includes('district')) return { level: 'district', unitCode: A.district };
    if (p.levels.includes('commune')) return { level: 'commune', unitCode: A.commune };
    return { level: 'site', siteId: await site(p.siteKinds![0]!) };
  };
  for (const role of ROLES) {
    if (role === 'admin') continue;
    const username = `wa.${role}`;
    const r = await t.as(admin, 'POST', '/api/v1/users', {
      username,
      fullName: username,
      password: 'password-123',
      role,
      jurisdiction: await jurisdiction(role),
    });
    expect(r.statusCode, r.body).toBe(201);
    cookies[role] = await t.login(username, 'password-123');
  }
}, 120_000);

afterAll(async () => {
  await t?.close();
});

const writes = () =>
  t.app.routePermissions.filter(
    (r) => r.url.startsWith('/api/') && !['GET', 'HEAD', 'OPTIONS'].includes(r.method),
  );

const fill = (url: string) => url.replace(/:[A-Za-z]+/g, () => randomUUID());

describe('every role × every write endpoint', () => {
  it('the table names every write endpoint and the action it requires', () => {
    const actual = Object.fromEntries(writes().map((r) => [`${r.method} ${r.url}`, r.action]));
    expect(actual).toEqual(WRITE_ENDPOINTS);
  });

  it.each(ROLES)('%s writes only where the access policy lets it', async (role) => {
    const wrong: string[] = [];
    for (const r of writes()) {
      if (!r.action) continue;
      const endpoint = `${r.method} ${r.url}`;
      const res = await t.as(cookies[role], r.method, fill(r.url), {});
      const refused = await t.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_events
          WHERE actor_username = $1 AND outcome = 'denied' AND reason = 'role' AND resource_id = $2`,
        [role === 'admin' ? 'admin' : `wa.${role}`, endpoint],
      );
      const denied = refused[0]!.n > 0;
      const expected = !can(role, r.action);
      if (denied !== expected) wrong.push(`${endpoint}: ${denied ? 'refused' : 'let through'}`);
      // A refused role learns nothing of the body: 404 before validation, never a 400.
      if (expected && res.statusCode !== 404) wrong.push(`${endpoint}: ${res.statusCode}`);
    }
    expect(wrong).toEqual([]);
  });
});
