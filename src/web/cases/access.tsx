import type { ReactNode } from 'react';
import { useMe } from '../auth.tsx';
import { NotFoundPage } from '../pages/NotFoundPage.tsx';
import type { CasesPermission } from './types.ts';

export function useCanC(permission: CasesPermission): boolean {
  return useMe().permissions.includes(permission);
}

/** A page the role may not use shows "not found", as the server does. */
export function CasesGuard({
  permission,
  children,
}: {
  permission: CasesPermission;
  children: ReactNode;
}) {
  return useCanC(permission) ? children : <NotFoundPage />;
}
