import type { ReactNode } from 'react';
import { useMe } from '../auth.tsx';
import { NotFoundPage } from '../pages/NotFoundPage.tsx';
import type { PeoplePermission } from './types.ts';

export function useCanP(permission: PeoplePermission): boolean {
  return useMe().permissions.includes(permission);
}

/** A page the role may not use shows "not found", as the server does. */
export function PeopleGuard({
  permission,
  children,
}: {
  permission: PeoplePermission;
  children: ReactNode;
}) {
  return useCanP(permission) ? children : <NotFoundPage />;
}
