/** Notices' unread count for the menu badge (the menu itself: src/web/nav/menu.ts). */
import { useQuery } from '@tanstack/react-query';
import { api } from '../api.ts';
import type { NoticePage } from './types.ts';

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
