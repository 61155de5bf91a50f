/** Quarantine and treatment pages (issue 11): children of the shell route (see App.tsx). */
import type { ReactNode } from 'react';
import type { RouteObject } from 'react-router';
import { useMe } from '../auth.tsx';
import { NotFoundPage } from '../pages/NotFoundPage.tsx';
import { AlertPage } from './AlertPage.tsx';
import { AlertsPage } from './AlertsPage.tsx';
import { CapacityPage } from './CapacityPage.tsx';
import { FacilitiesPage } from './FacilitiesPage.tsx';
import { FacilityPage } from './FacilityPage.tsx';
import { MonitoringPage } from './MonitoringPage.tsx';
import { TreatmentPage } from './TreatmentPage.tsx';

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
    path: 'theo-doi-f0/:id',
    element: (
      <CareGuard permission="care.read">
        <TreatmentPage />
      </CareGuard>
    ),
  },
  {
    path: 'canh-bao/:id',
    element: (
      <CareGuard permission="alerts.read">
        <AlertPage />
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
