/** Supplies pages (issue 18 item 1): children of the shell route (see App.tsx). */
import { NavLink } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link, type RouteObject } from 'react-router';
import { useMe } from '../auth.tsx';
import { NotFoundPage } from '../pages/NotFoundPage.tsx';
import { StockPage } from './StockPage.tsx';
import { useST } from './t.ts';

export function PermissionGuard({
  permission,
  children,
}: {
  permission: string;
  children: ReactNode;
}) {
  return useMe().permissions.includes(permission) ? children : <NotFoundPage />;
}

export const suppliesRoutes: RouteObject[] = [
  {
    path: 'vat-tu',
    element: (
      <PermissionGuard permission="supplies.read">
        <StockPage />
      </PermissionGuard>
    ),
  },
];

export function SuppliesNavLinks({
  isActive,
  onNavigate,
}: {
  isActive: (to: string) => boolean;
  onNavigate: () => void;
}) {
  const { t } = useST();
  if (!useMe().permissions.includes('supplies.read')) return null;
  return (
    <NavLink
      component={Link}
      to="/vat-tu"
      label={t('nav.stock')}
      active={isActive('/vat-tu')}
      onClick={onNavigate}
      variant="light"
      style={{ borderRadius: 'var(--mantine-radius-sm)' }}
    />
  );
}
