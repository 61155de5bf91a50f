/** Quarantine and treatment pages (issue 11): children of the shell route (see App.tsx). */
import type { ReactNode } from 'react';
import type { RouteObject } from 'react-router';
import { useMe } from '../auth.tsx';
import { NotFoundPage } from '../pages/NotFoundPage.tsx';
import { AlertsPage } from './AlertsPage.tsx';
import { MonitoringPage } from './MonitoringPage.tsx';

function CareGuard({ permission, children }: { permission: string; children: ReactNode }) {
  return useMe().permissions.includes(permission) ? children : <NotFoundPage />;
}

export const careRoutes: RouteObject[] = [
  {
    path: 'theo-doi-f0',
    element: (
      <CareGuard permission="care.read">
        <MonitoringPage />
      </CareGuard>
    ),
  },
  {
    path: 'canh-bao',
    element: (
      <CareGuard permission="alerts.read">
        <AlertsPage />
      </CareGuard>
    ),
  },
];
