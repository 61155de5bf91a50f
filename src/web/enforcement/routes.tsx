/** Enforcement pages (issue 18 item 3): children of the shell route (see App.tsx). */
import type { RouteObject } from 'react-router';
import { PermissionGuard } from '../supplies/routes.tsx';
import { ViolationsPage } from './ViolationsPage.tsx';

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
