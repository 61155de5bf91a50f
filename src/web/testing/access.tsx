import type { ReactNode } from 'react';
import { useMe } from '../auth.tsx';
import { NotFoundPage } from '../pages/NotFoundPage.tsx';
import type { TestingPermission } from './types.ts';

export function useCanT(permission: TestingPermission): boolean {
  return useMe().permissions.includes(permission);
}

/** A page the role may not use shows "not found", as the server does. */
export function TestingGuard({
  permission,
  children,
}: {
  permission: TestingPermission;
  children: ReactNode;
}) {
  return useCanT(permission) ? children : <NotFoundPage />;
}
