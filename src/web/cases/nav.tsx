/** The Shell's navigation entries for cases and tracing, shown by permission. */
import { Badge, NavLink } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../api.ts';
import { useMe } from '../auth.tsx';
import { useCT, type CasesKey } from './t.ts';
import type { NoticePage } from './types.ts';

const CASES_NAV: { to: string; label: CasesKey; any: string[] }[] = [
  { to: '/ca-benh', label: 'nav.cases', any: ['cases.read'] },
  { to: '/truy-vet', label: 'nav.board', any: ['contacts.read'] },
  { to: '/o-dich', label: 'nav.clusters', any: ['clusters.read'] },
  { to: '/phong-toa', label: 'nav.lockdowns', any: ['clusters.read'] },
  { to: '/dia-diem', label: 'nav.venues', any: ['venues.read'] },
  { to: '/thong-bao', label: 'nav.notices', any: ['cases.read', 'contacts.read', 'tests.read'] },
];

export const mayReadNotices = (permissions: string[]) =>
  ['cases.read', 'contacts.read', 'tests.read'].some((p) => permissions.includes(p));

/** How many notices the area has not read yet (refreshed every minute). */
export function useUnreadNotices(enabled: boolean) {
  return useQuery({
    queryKey: ['notices', 'unread'],
    queryFn: () => api<NoticePage>('/api/v1/notices?unread=true&limit=1').then((r) => r.unread),
    enabled,
    refetchInterval: 60_000,
  });
}

export function CasesNavLinks({
  isActive,
  onNavigate,
}: {
  isActive: (to: string) => boolean;
  onNavigate: () => void;
}) {
  const ct = useCT();
  const me = useMe();
  const unread = useUnreadNotices(mayReadNotices(me.permissions));
  return CASES_NAV.filter((n) => n.any.some((p) => me.permissions.includes(p))).map((item) => (
    <NavLink
      key={item.to}
      component={Link}
      to={item.to}
      label={ct(item.label)}
      active={isActive(item.to)}
      onClick={onNavigate}
      variant="light"
      style={{ borderRadius: 'var(--mantine-radius-sm)' }}
      rightSection={
        item.to === '/thong-bao' && unread.data ? (
          <Badge size="sm" color="red" circle={unread.data < 10} data-testid="notices-badge">
            {unread.data}
          </Badge>
        ) : undefined
      }
    />
  ));
}
