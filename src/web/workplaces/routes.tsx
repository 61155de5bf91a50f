/** Workplace pages (issue 18 item 4): children of the shell route (see App.tsx). */
import type { RouteObject } from 'react-router';
import { PermissionGuard } from '../supplies/routes.tsx';
import { lazyPage } from '../lazy.tsx'; // issue 15.6: each page is its own chunk

const AssessPage = lazyPage(() => import('./AssessPage.tsx'), 'AssessPage');
const RiskPage = lazyPage(() => import('./RiskPage.tsx'), 'RiskPage');

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
