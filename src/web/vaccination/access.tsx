import type { ReactNode } from 'react';
import { useMe } from '../auth.tsx';
import { NotFoundPage } from '../pages/NotFoundPage.tsx';
import type { VaccinationPermission } from './types.ts';

export function useCanV(permission: VaccinationPermission): boolean {
  return useMe().permissions.includes(permission);
}

/** A page the role may not use shows "not found", as the server does. */
export function VaccinationGuard({
  permission,
  children,
}: {
  permission: VaccinationPermission;
  children: ReactNode;
}) {
  return useCanV(permission) ? children : <NotFoundPage />;
}
