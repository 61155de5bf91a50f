/** The Shell's navigation entries for testing and labs, shown by permission. */
import { NavLink } from '@mantine/core';
import { Link, useLocation } from 'react-router';
import { useMe } from '../auth.tsx';
import { useTT, type TestingKey } from './t.ts';
import type { TestingPermission } from './types.ts';

const TESTING_NAV: { to: string; label: TestingKey; permission: TestingPermission }[] = [
  { to: '/xet-nghiem', label: 'nav.testing', permission: 'tests.read' },
  { to: '/xet-nghiem/nhap-tep', label: 'nav.imports', permission: 'tests.import' },
  { to: '/gop-mau', label: 'nav.pools', permission: 'pools.write' },
  { to: '/phong-xet-nghiem', label: 'nav.labs', permission: 'tests.stats' },
  { to: '/xet-nghiem/dot-sang-loc', label: 'nav.campaigns', permission: 'tests.order' },
  { to: '/xet-nghiem/so-lieu', label: 'nav.stats', permission: 'tests.stats' },
];

/** Which entry is active: the longest link that starts the path (so /xet-nghiem is not lit on its sub-pages). */
function activeEntry(path: string): string | null {
  const hits = TESTING_NAV.map((n) => n.to).filter(
    (to) => path === to || path.startsWith(to + '/'),
  );
  return hits.sort((a, b) => b.length - a.length)[0] ?? null;
}

export function TestingNavLinks({ onNavigate }: { onNavigate: () => void }) {
  const tt = useTT();
  const me = useMe();
  const location = useLocation();
  const active = activeEntry(location.pathname);
  return TESTING_NAV.filter((n) => me.permissions.includes(n.permission)).map((item) => (
    <NavLink
      key={item.to}
      component={Link}
      to={item.to}
      label={tt(item.label)}
      active={active === item.to}
      onClick={onNavigate}
      variant="light"
      style={{ borderRadius: 'var(--mantine-radius-sm)' }}
    />
  ));
}
