/** Quarantine and treatment pages (issue 11): children of the shell route (see App.tsx). */
import type { ReactNode } from 'react';
import type { RouteObject } from 'react-router';
import { useMe } from '../auth.tsx';
import { NotFoundPage } from '../pages/NotFoundPage.tsx';
import { AlertsPage } from './AlertsPage.tsx';
import { CapacityPage } from './CapacityPage.tsx';
import { FacilitiesPage } from './FacilitiesPage.tsx';
import { FacilityPage } from './FacilityPage.tsx';
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
  {
    path: 'co-so-cach-ly',
    element: (
      <CareGuard permission="facilities.read">
        <FacilitiesPage />
      </CareGuard>
    ),
  },
  {
    path: 'co-so-cach-ly/:id',
    element: (
      <CareGuard permission="facilities.read">
        <FacilityPage />
      </CareGuard>
    ),
  },
  {
    path: 'giuong-icu-oxy',
    element: (
      <CareGuard permission="capacity.read">
        <CapacityPage />
      </CareGuard>
    ),
  },
];
