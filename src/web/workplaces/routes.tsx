/** Workplace pages (issue 18 item 4): children of the shell route (see App.tsx). */
import type { RouteObject } from 'react-router';
import { PermissionGuard } from '../supplies/routes.tsx';
import { AssessPage } from './AssessPage.tsx';
import { RiskPage } from './RiskPage.tsx';

export const workplaceRoutes: RouteObject[] = [
  {
    path: 'noi-lam-viec',
    element: (
      <PermissionGuard permission="workplaces.read">
        <RiskPage />
      </PermissionGuard>
    ),
  },
  {
    path: 'noi-lam-viec/tu-danh-gia',
    element: (
      <PermissionGuard permission="workplaces.assess">
        <AssessPage />
      </PermissionGuard>
    ),
  },
];
