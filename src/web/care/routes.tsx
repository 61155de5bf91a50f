/** Quarantine and treatment pages (issue 11): children of the shell route (see App.tsx). */
import type { ReactNode } from 'react';
import type { RouteObject } from 'react-router';
import { useMe } from '../auth.tsx';
import { NotFoundPage } from '../pages/NotFoundPage.tsx';
import { lazyPage } from '../lazy.tsx'; // issue 15.6: each page is its own chunk

const AlertPage = lazyPage(() => import('./AlertPage.tsx'), 'AlertPage');
const AlertsPage = lazyPage(() => import('./AlertsPage.tsx'), 'AlertsPage');
const CapacityPage = lazyPage(() => import('./CapacityPage.tsx'), 'CapacityPage');
const FacilitiesPage = lazyPage(() => import('./FacilitiesPage.tsx'), 'FacilitiesPage');
const FacilityPage = lazyPage(() => import('./FacilityPage.tsx'), 'FacilityPage');
const MonitoringPage = lazyPage(() => import('./MonitoringPage.tsx'), 'MonitoringPage');
const TreatmentPage = lazyPage(() => import('./TreatmentPage.tsx'), 'TreatmentPage');

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
