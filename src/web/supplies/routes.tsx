/** Supplies pages (issue 18 item 1): children of the shell route (see App.tsx). */
import type { ReactNode } from 'react';
import type { RouteObject } from 'react-router';
import { useMe } from '../auth.tsx';
import { NotFoundPage } from '../pages/NotFoundPage.tsx';
import { lazyPage } from '../lazy.tsx'; // issue 15.6: each page is its own chunk

const StockPage = lazyPage(() => import('./StockPage.tsx'), 'StockPage');

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
