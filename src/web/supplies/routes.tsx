/** Supplies pages (issue 18 item 1): children of the shell route (see App.tsx). */
import type { ReactNode } from 'react';
import type { RouteObject } from 'react-router';
import { useMe } from '../auth.tsx';
import { NotFoundPage } from '../pages/NotFoundPage.tsx';
import { StockPage } from './StockPage.tsx';

export function PermissionGuard({
  permission,
  children,
}: {
  permission: string;
  children: ReactNode;
}) {
  return useMe().permissions.includes(permission) ? children : <NotFoundPage />;
}

export const suppliesRoutes: RouteObject[] = [
  {
    path: 'vat-tu',
    element: (
      <PermissionGuard permission="supplies.read">
        <StockPage />
      </PermissionGuard>
    ),
  },
];
