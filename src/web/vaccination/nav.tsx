/** The Shell's navigation entries for vaccination, shown by permission. */
import { NavLink } from '@mantine/core';
import { Link, useLocation } from 'react-router';
import { useMe } from '../auth.tsx';
import { useVT, type VaccinationKey } from './t.ts';
import type { VaccinationPermission } from './types.ts';

const VACCINATION_NAV: { to: string; label: VaccinationKey; permission: VaccinationPermission }[] =
  [
    { to: '/tiem-chung', label: 'nav.vaccination', permission: 'vaccinations.read' },
    { to: '/tiem-chung/den-han', label: 'nav.due', permission: 'vaccinations.read' },
    { to: '/tiem-chung/chua-tiem', label: 'nav.unvaccinated', permission: 'vaccinations.read' },
    { to: '/tiem-chung/bao-phu', label: 'nav.coverage', permission: 'coverage.read' },
  ];

/** The longest link that starts the path (so /tiem-chung is not lit on its sub-pages). */
function activeEntry(path: string): string | null {
  const hits = VACCINATION_NAV.map((n) => n.to).filter(
    (to) => path === to || path.startsWith(to + '/'),
  );
  return hits.sort((a, b) => b.length - a.length)[0] ?? null;
}

export function VaccinationNavLinks({ onNavigate }: { onNavigate: () => void }) {
  const vt = useVT();
  const me = useMe();
  const location = useLocation();
  const active = activeEntry(location.pathname);
  return VACCINATION_NAV.filter((n) => me.permissions.includes(n.permission)).map((item) => (
    <NavLink
      key={item.to}
      component={Link}
      to={item.to}
      label={vt(item.label)}
      active={active === item.to}
      onClick={onNavigate}
      variant="light"
      style={{ borderRadius: 'var(--mantine-radius-sm)' }}
    />
  ));
}
