/** The Shell's navigation entries for people and households, shown by permission. */
import { NavLink } from '@mantine/core';
import { Link } from 'react-router';
import { useMe } from '../auth.tsx';
import { usePT, type PeopleKey } from './t.ts';
import type { PeoplePermission } from './types.ts';

const PEOPLE_NAV: { to: string; label: PeopleKey; permission: PeoplePermission }[] = [
  { to: '/nguoi-dan', label: 'nav.people', permission: 'persons.read' },
  { to: '/ho-gia-dinh', label: 'nav.households', permission: 'households.read' },
];

export function PeopleNavLinks({
  isActive,
  onNavigate,
}: {
  isActive: (to: string) => boolean;
  onNavigate: () => void;
}) {
  const pt = usePT();
  const me = useMe();
  return PEOPLE_NAV.filter((n) => me.permissions.includes(n.permission)).map((item) => (
    <NavLink
      key={item.to}
      component={Link}
      to={item.to}
      label={pt(item.label)}
      active={isActive(item.to)}
      onClick={onNavigate}
      variant="light"
      style={{ borderRadius: 'var(--mantine-radius-sm)' }}
    />
  ));
}
