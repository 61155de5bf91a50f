/** Quarantine and treatment pages (issue 11): children of the shell route (see App.tsx). */
import { NavLink } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link, type RouteObject } from 'react-router';
import { useMe } from '../auth.tsx';
import { NotFoundPage } from '../pages/NotFoundPage.tsx';
import { AlertsPage } from './AlertsPage.tsx';
import { MonitoringPage } from './MonitoringPage.tsx';
import { useKT } from './t.ts';

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

const CARE_NAV = [
  { to: '/theo-doi-f0', label: 'nav.monitoring', permission: 'care.read' },
  { to: '/canh-bao', label: 'nav.alerts', permission: 'alerts.read' },
];

export function CareNavLinks({
  isActive,
  onNavigate,
}: {
  isActive: (to: string) => boolean;
  onNavigate: () => void;
}) {
  const { kt } = useKT();
  const me = useMe();
  return CARE_NAV.filter((n) => me.permissions.includes(n.permission)).map((n) => (
    <NavLink
      key={n.to}
      component={Link}
      to={n.to}
      label={kt(n.label)}
      active={isActive(n.to)}
      onClick={onNavigate}
      variant="light"
      style={{ borderRadius: 'var(--mantine-radius-sm)' }}
    />
  ));
}
