/** The Shell's navigation entries for entry control, shown by permission. */
import { NavLink } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Me } from '../api.ts';
import { useMe } from '../auth.tsx';
import type { EntryPermission } from './access.tsx';

type NavKey = 'nav.checkpoint' | 'nav.lodging' | 'nav.followUps' | 'nav.entryStats' | 'nav.areas';

const ENTRY_NAV: {
  to: string;
  label: NavKey | ((me: Me) => NavKey);
  permission: EntryPermission;
}[] = [
  {
    to: '/chot',
    // Lodging operators register guests on the same page.
    label: (me) => (me.siteKind === 'lodging' ? 'nav.lodging' : 'nav.checkpoint'),
    permission: 'entries.write',
  },
  { to: '/theo-doi', label: 'nav.followUps', permission: 'followups.read' },
  { to: '/thong-ke-ra-vao', label: 'nav.entryStats', permission: 'entries.stats' },
  { to: '/vung-dich', label: 'nav.areas', permission: 'geo.read' },
];

export function EntryNavLinks({
  isActive,
  onNavigate,
}: {
  isActive: (to: string) => boolean;
  onNavigate: () => void;
}) {
  const { t } = useTranslation();
  const me = useMe();
  return ENTRY_NAV.filter((n) => me.permissions.includes(n.permission)).map((item) => (
    <NavLink
      key={item.to}
      component={Link}
      to={item.to}
      label={t(typeof item.label === 'function' ? item.label(me) : item.label)}
      active={isActive(item.to)}
      onClick={onNavigate}
      variant="light"
      style={{ borderRadius: 'var(--mantine-radius-sm)' }}
    />
  ));
}
