/**
 * Who may do what, where. Pure functions, no I/O: the server asks these before every query and
 * the web app uses the same table to decide which navigation to show.
 *
 * A jurisdiction (scope) is a place in the administrative tree — province › district › commune ›
 * village — or a site (checkpoint, lab, facility, lodging, vaccination site…) that sits in a
 * commune. Every record that holds people's data carries the codes of the place it belongs to
 * (a `Place`), so "is this record in my scope?" is one comparison, and in SQL one indexed
 * predicate.
 */

export const ROLES = [
  'admin',
  'province',
  'district_health',
  'commune_health',
  'community_team',
  'checkpoint_officer',
  'lodging_operator',
  'lab',
  'facility_manager',
  'vaccination_site',
  'border_officer',
  'test_reporter',
  // issue 17 (green lane): a transport company's account, and the transport authority
  'transport_company',
  'transport_authority',
] as const;
export type Role = (typeof ROLES)[number];

export const SITE_KINDS = [
  'checkpoint',
  'airport',
  'border_post',
  'lodging',
  'lab',
  'facility',
  'vaccination_site',
  'border_gate',
  'school',
  'enterprise',
  'venue',
  // issue 17 (green lane): a transport company (its accounts see only it), a transit yard
  'transport_company',
  'transit_yard',
] as const;
export type SiteKind = (typeof SITE_KINDS)[number];

export type ScopeLevel = 'province' | 'district' | 'commune' | 'village' | 'site';

/** Where a record (or a user's jurisdiction) sits. Codes are GSO codes, always strings. */
export interface Place {
  provinceCode: string;
  districtCode?: string | null;
  communeCode?: string | null;
  villageId?: string | null;
  siteId?: string | null;
}

export interface Scope extends Place {
  level: ScopeLevel;
}

/** Everything a user may be allowed to do. Modules add their actions here. */
export const ACTIONS = [
  'users.read',
  'users.manage',
  'audit.read',
  'geo.read',
  'villages.read',
  'villages.write',
  'sites.read',
  'sites.manage',
  'persons.read',
  'persons.write',
  'persons.merge',
  'households.read',
  'households.write',
  'areas.manage',
  'entries.read',
  'entries.write',
  'entries.override',
  'entries.stats',
  'followups.read',
  'followups.write',
  'cases.read',
  'cases.write',
  'contacts.read',
  'contacts.write',
  'clusters.read',
  'clusters.write',
  'venues.read',
  'venues.write',
  'tests.read',
  'tests.order',
  'tests.write',
  'tests.import',
  'tests.stats',
  'pools.write',
  'labs.manage',
  'fhir.exchange',
  'vaccinations.read',
  'vaccinations.write',
  'vaccines.manage',
  'coverage.read',
  'certificates.issue',
  // issue 10 (trust): only a province-level role changes the DCC trust list.
  'certificates.trust',
  // --- Quarantine and treatment (issue 11) ---
  'facilities.read',
  'facilities.manage',
  'admissions.read',
  'admissions.write',
  'care.read',
  'care.write',
  'alerts.read',
  'alerts.write',
  'capacity.read',
  // --- end quarantine and treatment ---
  // --- issue 12 (picture): levels, dashboard, projections ---
  'levels.read',
  'levels.publish',
  'levels.capacity',
  'dashboard.read',
  'projections.run',
  'reports.steering',
  // --- end issue 12 ---
  // issue 13 item 7: enter records kept on paper (older than the live window) with a reason.
  'records.backdate',
  // --- issue 18 (rule-set administration): read the rule sets in words; a province-level
  // administrator or province officer adds a version (the handler also requires the province level).
  'rulesets.read',
  'rulesets.manage',
  // --- end issue 18 (rule sets) ---
  // --- issue 17 (green lane) ---
  'greenlane.apply',
  'greenlane.read',
  'greenlane.decide',
  'greenlane.manage',
  'greenlane.pass',
  'gates.board',
  'greenlane.alerts',
  'border.read', // issue 17 item 5 (border posts)
  'border.write', // issue 17 item 5 (border posts)
  // --- end issue 17 ---
  // --- issue 18 (supplies, enforcement) ---
  'supplies.read',
  'supplies.write',
  'supplies.manage',
  'violations.read',
  'violations.write',
  // --- end issue 18 ---
  // --- issue 18 item 2 (community teams) ---
  'teams.read',
  'teams.manage',
  'teams.work',
  // --- end issue 18 item 2 ---
  // --- issue 18 item 4 (workplaces and schools): read the risk view, register workplaces,
  // send a workplace's own COVID-safety self-assessment ---
  'workplaces.read',
  'workplaces.manage',
  'workplaces.assess',
  // --- end issue 18 item 4 ---
] as const;
export type Action = (typeof ACTIONS)[number];

interface RolePolicy {
  /** Levels at which a user with this role can be placed. */
  levels: readonly ScopeLevel[];
  /** For site-level roles, the kinds of site the role works at. */
  siteKinds?: readonly SiteKind[];
  actions: readonly Action[];
  /**
   * A site account of this role works with the residents of its site's commune (a vaccination
   * site vaccinates them), so it reads people as its commune does, not only those its site
   * registered.
   */
  peopleOfArea?: boolean;
}

const READ_GEO: Action[] = ['geo.read', 'villages.read', 'sites.read'];
/**
 * People's records. Officers of an area read, register, correct and merge the people who live
 * there; community teams work their village but do not merge. Checkpoint and lodging staff
 * register people and see only the people their site registered. The system administrator
 * manages accounts, not people's data.
 */
const PEOPLE: Action[] = [
  'persons.read',
  'persons.write',
  'persons.merge',
  'households.read',
  'households.write',
];
const SITE_PEOPLE: Action[] = ['persons.read', 'persons.write'];
/**
 * Entry control. Checkpoint and lodging staff record entries at their own site and see them;
 * the destination commune (and its village team) follows arrivals up; district and province
 * see both in their area, override a classification with a reason, and keep epidemic areas.
 */
const SITE_ENTRY: Action[] = ['entries.read', 'entries.write', 'entries.stats', 'records.backdate'];
const AREA_ENTRY: Action[] = ['entries.read', 'entries.stats', 'followups.read', 'followups.write'];
/**
 * Cases and tracing. Health officers of an area open and update F0 cases, confirm or reject
 * F1/F2 candidates, register venues and keep clusters; the village team reaches contacts.
 */
const AREA_TRACING: Action[] = [
  'cases.read',
  'cases.write',
  'contacts.read',
  'contacts.write',
  'clusters.read',
  'clusters.write',
  'venues.read',
  'venues.write',
  'records.backdate', // issue 13 item 7: past venue check-ins from paper, with a reason
];
/**
 * Testing. Areas order tests, take samples, enter and upload results and read the figures;
 * labs work their specimens, pools and capacity; schools and enterprises (test_reporter) upload
 * the results of their own people.
 */
const AREA_TESTING: Action[] = [
  'tests.read',
  'tests.order',
  'tests.write',
  'tests.import',
  'tests.stats',
];
/**
 * Vaccination. Health officers of an area record doses, screenings and reactions, read coverage
 * and issue certificates; district and province also keep the vaccine supply. A vaccination site
 * records and certifies the doses it gives.
 */
const AREA_VACCINATION: Action[] = [
  'vaccinations.read',
  'vaccinations.write',
  'coverage.read',
  'certificates.issue',
];

// --- Quarantine and treatment (issue 11) ---
/**
 * District and province keep facilities, admit people and move patients between tiers; the
 * commune follows F0 at home and answers alerts; the village team records readings; a facility
 * manager works the admissions, tests and releases of their own facility.
 */
const AREA_CARE: Action[] = [
  'facilities.read',
  'facilities.manage',
  'admissions.read',
  'admissions.write',
  'care.read',
  'care.write',
  'alerts.read',
  'alerts.write',
  'capacity.read',
];
const COMMUNE_CARE: Action[] = [
  'facilities.read',
  'care.read',
  'care.write',
  'alerts.read',
  'alerts.write',
  'capacity.read',
];
const FACILITY_CARE: Action[] = [
  'facilities.read',
  'facilities.manage',
  'admissions.read',
  'admissions.write',
  'care.read',
  'care.write',
  'alerts.read',
  'capacity.read',
];
const VILLAGE_CARE: Action[] = ['care.read', 'care.write', 'alerts.read'];
/** Care actions per role (merged into ROLE_POLICIES below). */
const CARE_BY_ROLE: Partial<Record<Role, Action[]>> = {
  province: AREA_CARE,
  district_health: AREA_CARE,
  commune_health: COMMUNE_CARE,
  community_team: VILLAGE_CARE,
  facility_manager: FACILITY_CARE,
};
// --- end quarantine and treatment ---
// --- issue 12 (picture): health officers of an area read and recompute levels, enter their
// unit's treatment capacity, read the dashboard and run projections; the province publishes.
const AREA_PICTURE: Action[] = [
  'levels.read',
  'levels.capacity',
  'dashboard.read',
  'projections.run',
];
// --- end issue 12 ---
// --- issue 17 (green lane): a transport company applies for its own vehicles (and registers
// its crews as people, stamped with its site); the province and the transport authority read
// every application of the province, grant or refuse, keep the routes and read the gate board;
// checkpoint, yard and gate staff record passages at their site.
const AUTHORITY_GREENLANE: Action[] = [
  'greenlane.read',
  'greenlane.decide',
  'greenlane.manage',
  'gates.board',
  'greenlane.alerts',
];
// a vehicle that leaves the closed loop is alerted to the district it is in
// item 5: a border officer (a post, or a district's border command) reports patrols and illegal
// entries; the district's and the province's health officers read the lists and the counts.
const GREENLANE_BY_ROLE: Partial<Record<Role, Action[]>> = {
  province: [...AUTHORITY_GREENLANE, 'border.read'],
  district_health: ['greenlane.alerts', 'border.read'],
  checkpoint_officer: ['greenlane.pass', 'gates.board'],
  border_officer: ['greenlane.pass', 'gates.board', 'border.read', 'border.write'],
};
// --- end issue 17 ---

/** The table of role × action, with the levels each role may hold. */
export const ROLE_POLICIES: Record<Role, RolePolicy> = {
  admin: {
    levels: ['province', 'district'],
    actions: [
      ...READ_GEO,
      'users.read',
      'users.manage',
      'audit.read',
      'villages.write',
      'sites.manage',
      'rulesets.read', // issue 18 (rule sets)
      'rulesets.manage', // issue 18 (rule sets)
    ],
  },
  province: {
    levels: ['province'],
    actions: [
      ...READ_GEO,
      'users.read',
      'villages.write',
      ...PEOPLE,
      ...AREA_ENTRY,
      'entries.override',
      'areas.manage',
      ...AREA_TRACING,
      ...AREA_TESTING,
      'fhir.exchange',
      ...AREA_VACCINATION,
      'vaccines.manage',
      'certificates.trust', // issue 10 (trust)
      ...AREA_PICTURE, // issue 12
      'levels.publish', // issue 12
      'reports.steering', // issue 12
      'rulesets.read', // issue 18 (rule sets)
      'rulesets.manage', // issue 18 (rule sets)
    ],
  },
  district_health: {
    levels: ['district'],
    actions: [
      ...READ_GEO,
      'users.read',
      'villages.write',
      ...PEOPLE,
      ...AREA_ENTRY,
      'entries.override',
      ...AREA_TRACING,
      ...AREA_TESTING,
      ...AREA_VACCINATION,
      'vaccines.manage',
      ...AREA_PICTURE, // issue 12
    ],
  },
  commune_health: {
    levels: ['commune'],
    actions: [
      ...READ_GEO,
      'villages.write',
      ...PEOPLE,
      ...AREA_ENTRY,
      ...AREA_TRACING,
      ...AREA_TESTING,
      ...AREA_VACCINATION,
      ...AREA_PICTURE, // issue 12
    ],
  },
  community_team: {
    levels: ['village', 'commune'],
    actions: [
      ...READ_GEO,
      'persons.read',
      'persons.write',
      'households.read',
      'households.write',
      'followups.read',
      'followups.write',
      'cases.read',
      'contacts.read',
      'contacts.write',
    ],
  },
  checkpoint_officer: {
    levels: ['site'],
    siteKinds: ['checkpoint', 'airport', 'border_post', 'transit_yard'], // transit_yard: issue 17
    actions: ['geo.read', 'sites.read', ...SITE_PEOPLE, ...SITE_ENTRY],
  },
  lodging_operator: {
    levels: ['site'],
    siteKinds: ['lodging'],
    actions: ['geo.read', ...SITE_PEOPLE, ...SITE_ENTRY],
  },
  lab: {
    levels: ['site'],
    siteKinds: ['lab'],
    actions: [
      'geo.read',
      'sites.read',
      ...SITE_PEOPLE,
      'tests.read',
      'tests.write',
      'tests.import',
      'tests.stats',
      'pools.write',
      'labs.manage',
      'fhir.exchange',
    ],
  },
  facility_manager: {
    levels: ['site'],
    siteKinds: ['facility'],
    actions: ['geo.read', 'sites.read'],
  },
  vaccination_site: {
    levels: ['site', 'commune'],
    siteKinds: ['vaccination_site'],
    peopleOfArea: true,
    // A vaccinator finds the person in front of them (or registers them) before the dose.
    actions: [
      ...READ_GEO,
      ...SITE_PEOPLE,
      'vaccinations.read',
      'vaccinations.write',
      'certificates.issue',
    ],
  },
  border_officer: {
    levels: ['site', 'district'],
    siteKinds: ['border_gate', 'border_post'],
    actions: ['geo.read', 'sites.read'],
  },
  test_reporter: {
    levels: ['site'],
    siteKinds: ['school', 'enterprise'],
    actions: ['geo.read', ...SITE_PEOPLE, 'tests.read', 'tests.write', 'tests.import'],
  },
  // --- issue 17 (green lane) ---
  transport_company: {
    levels: ['site'],
    siteKinds: ['transport_company'],
    actions: ['geo.read', 'sites.read', ...SITE_PEOPLE, 'greenlane.apply', 'greenlane.read'],
  },
  transport_authority: {
    levels: ['province'],
    actions: [...READ_GEO, ...AUTHORITY_GREENLANE],
  },
  // --- end issue 17 ---
};

// Quarantine and treatment (issue 11): each role's care actions join its table row.
for (const [role, actions] of Object.entries(CARE_BY_ROLE) as [Role, Action[]][])
  (ROLE_POLICIES[role].actions as Action[]).push(...actions);
// Issue 17 (green lane): likewise.
for (const [role, actions] of Object.entries(GREENLANE_BY_ROLE) as [Role, Action[]][])
  (ROLE_POLICIES[role].actions as Action[]).push(...actions);

// --- issue 18 (supplies, enforcement): health officers of an area keep the stock of their
// unit's holders and record violations; the province also keeps the catalogue; a facility
// manager keeps the stock of their own facility.
const SUPPLIES_ENFORCEMENT_BY_ROLE: Partial<Record<Role, Action[]>> = {
  province: [
    'supplies.read',
    'supplies.write',
    'supplies.manage',
    'violations.read',
    'violations.write',
  ],
  district_health: ['supplies.read', 'supplies.write', 'violations.read', 'violations.write'],
  commune_health: ['supplies.read', 'supplies.write', 'violations.read', 'violations.write'],
  facility_manager: ['supplies.read', 'supplies.write'],
};
for (const [role, actions] of Object.entries(SUPPLIES_ENFORCEMENT_BY_ROLE) as [Role, Action[]][])
  (ROLE_POLICIES[role].actions as Action[]).push(...actions);
// --- end issue 18 ---
// --- issue 18 item 2 (community teams): health officers of an area read their teams' tasks and
// reports and keep the teams (members, households); a team leader (community_team) reads their
// own team only (the handler also checks the leader) and records visits.
const TEAMS_BY_ROLE: Partial<Record<Role, Action[]>> = {
  province: ['teams.read', 'teams.manage', 'teams.work'],
  district_health: ['teams.read', 'teams.manage', 'teams.work'],
  commune_health: ['teams.read', 'teams.manage', 'teams.work'],
  community_team: ['teams.read', 'teams.work'],
};
for (const [role, actions] of Object.entries(TEAMS_BY_ROLE) as [Role, Action[]][])
  (ROLE_POLICIES[role].actions as Action[]).push(...actions);
// --- end issue 18 item 2 ---

// --- issue 18 item 4 (workplaces and schools): district and province register workplaces and
// read the risk view of their area, the commune reads it; a workplace's own reporter
// (test_reporter, already uploading its screening results) reads it and sends its self-assessment.
const WORKPLACES_BY_ROLE: Partial<Record<Role, Action[]>> = {
  province: ['workplaces.read', 'workplaces.manage'],
  district_health: ['workplaces.read', 'workplaces.manage'],
  commune_health: ['workplaces.read'],
  test_reporter: ['workplaces.read', 'workplaces.assess'],
};
for (const [role, actions] of Object.entries(WORKPLACES_BY_ROLE) as [Role, Action[]][])
  (ROLE_POLICIES[role].actions as Action[]).push(...actions);
// --- end issue 18 item 4 ---

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function roleMayHold(role: Role, level: ScopeLevel, siteKind?: SiteKind | null): boolean {
  const policy = ROLE_POLICIES[role];
  if (!policy.levels.includes(level)) return false;
  if (level === 'site') return !!siteKind && (policy.siteKinds ?? []).includes(siteKind);
  return true;
}

export function can(role: Role, action: Action): boolean {
  return ROLE_POLICIES[role].actions.includes(action);
}

/** See `RolePolicy.peopleOfArea`. */
export function readsAreaPeople(role: Role): boolean {
  return !!ROLE_POLICIES[role].peopleOfArea;
}

export function actionsOf(role: Role): Action[] {
  return [...ROLE_POLICIES[role].actions];
}

/**
 * Is `place` inside `scope`? A scope contains everything below it in the tree, including the
 * sites and villages of its communes. A site-level scope contains only records of that site;
 * a village scope only records of that village.
 */
export function contains(scope: Scope, place: Place): boolean {
  switch (scope.level) {
    case 'province':
      return place.provinceCode === scope.provinceCode;
    case 'district':
      return !!place.districtCode && place.districtCode === scope.districtCode;
    case 'commune':
      return !!place.communeCode && place.communeCode === scope.communeCode;
    case 'village':
      return !!place.villageId && place.villageId === scope.villageId;
    case 'site':
      return !!place.siteId && place.siteId === scope.siteId;
  }
}

const DEPTH: Record<ScopeLevel, number> = {
  province: 1,
  district: 2,
  commune: 3,
  village: 4,
  site: 4,
};

/** Is scope `inner` wholly inside scope `outer`? (An admin may only place users there.) */
export function scopeWithin(outer: Scope, inner: Scope): boolean {
  if (DEPTH[inner.level] < DEPTH[outer.level]) return false;
  if (outer.level === 'site') return inner.level === 'site' && inner.siteId === outer.siteId;
  if (outer.level === 'village') {
    return inner.level === 'village' && inner.villageId === outer.villageId;
  }
  return contains(outer, inner);
}

/** Whether `actor` may perform `action` on a record at `place`: role allows it and place is in scope. */
export function allowed(
  actor: { role: Role; scope: Scope },
  action: Action,
  place: Place,
): boolean {
  return can(actor.role, action) && contains(actor.scope, place);
}

export type UserGrantDecision =
  { ok: true } | { ok: false; reason: 'not_permitted' | 'outside_scope' | 'level_not_allowed' };

/** May an admin create (or move) a user with `role` placed at `target`? */
export function mayGrant(
  actor: { role: Role; scope: Scope },
  role: Role,
  target: Scope,
  siteKind?: SiteKind | null,
): UserGrantDecision {
  if (!can(actor.role, 'users.manage')) return { ok: false, reason: 'not_permitted' };
  if (!scopeWithin(actor.scope, target)) return { ok: false, reason: 'outside_scope' };
  if (!roleMayHold(role, target.level, siteKind)) return { ok: false, reason: 'level_not_allowed' };
  return { ok: true };
}
