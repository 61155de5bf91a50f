/** Enforcement pages (issue 18 item 3): children of the shell route (see App.tsx). */
import type { RouteObject } from 'react-router';
import { PermissionGuard } from '../supplies/routes.tsx';
import { lazyPage } from '../lazy.tsx'; // issue 15.6: each page is its own chunk

const ViolationsPage = lazyPage(() => import('./ViolationsPage.tsx'), 'ViolationsPage');

export const enforcementRoutes: RouteObject[] = [
  {
    path: 'vi-pham',
    element: (
      <PermissionGuard permission="violations.read">
        <ViolationsPage />
      </PermissionGuard>
    ),
  },
];
