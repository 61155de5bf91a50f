/** Enforcement pages (issue 18 item 3): children of the shell route (see App.tsx). */
import { NavLink } from '@mantine/core';
import { Link, type RouteObject } from 'react-router';
import { useMe } from '../auth.tsx';
import { PermissionGuard } from '../supplies/routes.tsx';
import { useET } from './t.ts';
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

export function EnforcementNavLinks({
  isActive,
  onNavigate,
}: {
  isActive: (to: string) => boolean;
  onNavigate: () => void;
}) {
  const { t } = useET();
  if (!useMe().permissions.includes('violations.read')) return null;
  return (
    <NavLink
      component={Link}
      to="/vi-pham"
      label={t('nav.violations')}
      active={isActive('/vi-pham')}
      onClick={onNavigate}
      variant="light"
      style={{ borderRadius: 'var(--mantine-radius-sm)' }}
    />
  );
}
