/** The Shell's navigation entries for the picture pages, shown by permission. */
import { NavLink } from '@mantine/core';
import { Link, useLocation } from 'react-router';
import { useMe } from '../auth.tsx';
import { usePT, type PictureKey, type PicturePermission } from './t.ts';

const NAV: { to: string; label: PictureKey; permission: PicturePermission }[] = [
  { to: '/tinh-hinh', label: 'nav.dashboard', permission: 'dashboard.read' },
  { to: '/cap-do-dich', label: 'nav.levels', permission: 'levels.read' },
];

export function PictureNavLinks({ onNavigate }: { onNavigate: () => void }) {
  const { pt } = usePT();
  const me = useMe();
  const location = useLocation();
  return NAV.filter((n) => me.permissions.includes(n.permission)).map((item) => (
    <NavLink
      key={item.to}
      component={Link}
      to={item.to}
      label={pt(item.label)}
      active={location.pathname === item.to}
      onClick={onNavigate}
      variant="light"
      style={{ borderRadius: 'var(--mantine-radius-sm)' }}
    />
  ));
}
