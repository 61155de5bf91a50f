/**
 * The navigation, grouped by work (issue 16 item 5). ONE table: a page joins the menu with one
 * line in its group — its path, the i18next namespace and key of its label, and the permissions
 * of which the user needs any. A user sees only the items their role may use, and only the
 * groups with at least one such item. LANDING names each role's daily page.
 */
import type { Me } from '../api.ts';
import type { NavKey } from './t.ts';

export interface MenuItem {
  to: string;
  /** i18next namespace of the label ('translation' is the app's own). */
  ns: string;
  label: string | ((me: Me) => string);
  /** The user needs at least one of these. */
  any: string[];
  /** A count beside the label (see Menu.tsx). */
  badge?: 'notices';
}

export interface MenuGroup {
  /** No label: the items stand at the top, ungrouped. */
  label?: NavKey;
  items: MenuItem[];
}

export const MENU: MenuGroup[] = [
  { items: [{ to: '/', ns: 'translation', label: 'nav.home', any: [] }] },
  {
    label: 'group.situation',
    items: [
      { to: '/tinh-hinh', ns: 'picture', label: 'nav.dashboard', any: ['dashboard.read'] },
      { to: '/cap-do-dich', ns: 'picture', label: 'nav.levels', any: ['levels.read'] },
      { to: '/du-bao', ns: 'picture', label: 'nav.projections', any: ['projections.run'] }, // issue 12
    ],
  },
  {
    label: 'group.entry',
    items: [
      {
        to: '/chot',
        ns: 'translation',
        // Lodging operators register guests on the same page.
        label: (me) => (me.siteKind === 'lodging' ? 'nav.lodging' : 'nav.checkpoint'),
        any: ['entries.write'],
      },
      { to: '/theo-doi', ns: 'translation', label: 'nav.followUps', any: ['followups.read'] },
      {
        to: '/thong-ke-ra-vao',
        ns: 'translation',
        label: 'nav.entryStats',
        any: ['entries.stats'],
      },
      { to: '/vung-dich', ns: 'translation', label: 'nav.areas', any: ['geo.read'] },
      // issue 17 (green lane)
      { to: '/luong-xanh/dang-ky', ns: 'greenlane', label: 'nav.apply', any: ['greenlane.apply'] },
      {
        to: '/luong-xanh/xet-duyet',
        ns: 'greenlane',
        label: 'nav.review',
        any: ['greenlane.decide'],
      },
      { to: '/luong-xanh/quet', ns: 'greenlane', label: 'nav.scan', any: ['greenlane.pass'] },
      { to: '/cua-khau/bang', ns: 'greenlane', label: 'nav.board', any: ['gates.board'] },
      {
        to: '/luong-xanh/canh-bao',
        ns: 'greenlane',
        label: 'nav.alerts',
        any: ['greenlane.alerts'],
      },
      // issue 17 item 5 (border posts)
      { to: '/bien-phong', ns: 'greenlane', label: 'nav.border', any: ['border.read'] },
    ],
  },
  {
    label: 'group.people',
    items: [
      { to: '/nguoi-dan', ns: 'people', label: 'nav.people', any: ['persons.read'] },
      { to: '/ho-gia-dinh', ns: 'people', label: 'nav.households', any: ['households.read'] },
    ],
  },
  {
    label: 'group.cases',
    items: [
      { to: '/ca-benh', ns: 'cases', label: 'nav.cases', any: ['cases.read'] },
      { to: '/truy-vet', ns: 'cases', label: 'nav.board', any: ['contacts.read'] },
      { to: '/o-dich', ns: 'cases', label: 'nav.clusters', any: ['clusters.read'] },
      { to: '/phong-toa', ns: 'cases', label: 'nav.lockdowns', any: ['clusters.read'] },
      { to: '/dia-diem', ns: 'cases', label: 'nav.venues', any: ['venues.read'] },
      {
        to: '/thong-bao',
        ns: 'cases',
        label: 'nav.notices',
        any: ['cases.read', 'contacts.read', 'tests.read'],
        badge: 'notices',
      },
    ],
  },
  {
    label: 'group.testing',
    items: [
      { to: '/xet-nghiem', ns: 'testing', label: 'nav.testing', any: ['tests.read'] },
      { to: '/xet-nghiem/nhap-tep', ns: 'testing', label: 'nav.imports', any: ['tests.import'] },
      { to: '/gop-mau', ns: 'testing', label: 'nav.pools', any: ['pools.write'] },
      { to: '/phong-xet-nghiem', ns: 'testing', label: 'nav.labs', any: ['tests.stats'] },
      {
        to: '/xet-nghiem/dot-sang-loc',
        ns: 'testing',
        label: 'nav.campaigns',
        any: ['tests.order'],
      },
      { to: '/xet-nghiem/so-lieu', ns: 'testing', label: 'nav.stats', any: ['tests.stats'] },
    ],
  },
  {
    label: 'group.care',
    items: [
      { to: '/theo-doi-f0', ns: 'care', label: 'nav.monitoring', any: ['care.read'] },
      { to: '/canh-bao', ns: 'care', label: 'nav.alerts', any: ['alerts.read'] },
      { to: '/co-so-cach-ly', ns: 'care', label: 'nav.facilities', any: ['facilities.read'] },
      { to: '/giuong-icu-oxy', ns: 'care', label: 'nav.capacity', any: ['capacity.read'] },
    ],
  },
  {
    label: 'group.vaccination',
    items: [
      {
        to: '/tiem-chung',
        ns: 'vaccination',
        label: 'nav.vaccination',
        any: ['vaccinations.read'],
      },
      {
        to: '/tiem-chung/den-han',
        ns: 'vaccination',
        label: 'nav.due',
        any: ['vaccinations.read'],
      },
      {
        to: '/tiem-chung/chua-tiem',
        ns: 'vaccination',
        label: 'nav.unvaccinated',
        any: ['vaccinations.read'],
      },
      {
        to: '/tiem-chung/bao-phu',
        ns: 'vaccination',
        label: 'nav.coverage',
        any: ['coverage.read'],
      },
    ],
  },
  {
    // issue 18 (supplies, enforcement)
    label: 'group.resources',
    items: [
      { to: '/vat-tu', ns: 'supplies', label: 'nav.stock', any: ['supplies.read'] },
      { to: '/vi-pham', ns: 'enforcement', label: 'nav.violations', any: ['violations.read'] },
      // issue 18 item 2 (community teams)
      { to: '/to-covid', ns: 'teams', label: 'nav.teams', any: ['teams.read'] },
      // issue 18 item 4: the area's risk view; a workplace's reporter sends its self-assessment
      {
        to: '/noi-lam-viec',
        ns: 'workplaces',
        label: 'nav.risk',
        any: ['workplaces.manage', 'workplaces.read'],
      },
      {
        to: '/noi-lam-viec/tu-danh-gia',
        ns: 'workplaces',
        label: 'nav.assess',
        any: ['workplaces.assess'],
      },
    ],
  },
  {
    label: 'group.admin',
    items: [
      { to: '/units', ns: 'translation', label: 'nav.units', any: ['geo.read'] },
      { to: '/users', ns: 'translation', label: 'nav.users', any: ['users.read'] },
      { to: '/vai-tro', ns: 'nav', label: 'roles', any: ['users.read'] },
      { to: '/audit', ns: 'translation', label: 'nav.audit', any: ['audit.read'] },
      { to: '/quy-tac', ns: 'rulesets', label: 'nav.rulesets', any: ['rulesets.read'] }, // issue 18
    ],
  },
];

/** The groups and items `me` may use. */
export function menuFor(me: Pick<Me, 'permissions'>): MenuGroup[] {
  const mayUse = (item: MenuItem) =>
    item.any.length === 0 || item.any.some((p) => me.permissions.includes(p));
  return MENU.map((g) => ({ ...g, items: g.items.filter(mayUse) })).filter(
    (g) => g.items.length > 0,
  );
}

/**
 * Each role's daily page, opened after login: a checkpoint scans, a commune follows up today's
 * arrivals, a lab imports results, the province reads the situation. The first path the user
 * may use wins; otherwise the home page.
 */
const LANDING: Record<string, string[]> = {
  checkpoint_officer: ['/chot'],
  lodging_operator: ['/chot'],
  commune_health: ['/theo-doi'],
  community_team: ['/theo-doi'],
  lab: ['/xet-nghiem/nhap-tep'],
  test_reporter: ['/xet-nghiem/nhap-tep'],
  province: ['/tinh-hinh'],
  district_health: ['/tinh-hinh'],
  facility_manager: ['/theo-doi-f0'],
  vaccination_site: ['/tiem-chung'],
  admin: ['/users'],
  transport_company: ['/luong-xanh/dang-ky'],
  transport_authority: ['/luong-xanh/xet-duyet'],
  border_officer: ['/bien-phong'], // issue 17 item 5
};

export function landingOf(me: Pick<Me, 'role' | 'permissions'>): string {
  const allowed = new Set(menuFor(me).flatMap((g) => g.items.map((i) => i.to)));
  return (LANDING[me.role] ?? []).find((to) => allowed.has(to)) ?? '/';
}
