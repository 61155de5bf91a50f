import type { ReactNode } from 'react';
import { useMe } from '../auth.tsx';
import { NotFoundPage } from '../pages/NotFoundPage.tsx';

export type EntryPermission =
  | 'geo.read'
  | 'entries.read'
  | 'entries.write'
  | 'entries.override'
  | 'entries.stats'
  | 'followups.read'
  | 'followups.write'
  | 'areas.manage';

/** A page the role may not use shows "not found", as the server does. */
export function EntryGuard({
  permission,
  children,
}: {
  permission: EntryPermission;
  children: ReactNode;
}) {
  return useMe().permissions.includes(permission) ? children : <NotFoundPage />;
}

export function useEntryCan(permission: EntryPermission): boolean {
  return useMe().permissions.includes(permission);
}
