/** The green-lane pages (issue 17), children of the shell route, and their navigation entries. */
import { NavLink } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link, type RouteObject } from 'react-router';
import { useMe } from '../auth.tsx';
import { NotFoundPage } from '../pages/NotFoundPage.tsx';
import { ApplyPage } from './ApplyPage.tsx';
import { BoardPage } from './BoardPage.tsx';
import { PermitPage } from './PermitPage.tsx';
import { ReviewPage } from './ReviewPage.tsx';
import { ScanPage } from './ScanPage.tsx';
import { useGT, type GreenLaneKey } from './t.ts';

type Permission =
  'greenlane.apply' | 'greenlane.read' | 'greenlane.decide' | 'greenlane.pass' | 'gates.board';

function Guard({ permission, children }: { permission: Permission; children: ReactNode }) {
  return useMe().permissions.includes(permission) ? children : <NotFoundPage />;
}
const guarded = (path: string, permission: Permission, element: ReactNode): RouteObject => ({
  path,
  element: <Guard permission={permission}>{element}</Guard>,
});

export const greenLaneRoutes: RouteObject[] = [
  guarded('luong-xanh/dang-ky', 'greenlane.apply', <ApplyPage />),
  guarded('luong-xanh/xet-duyet', 'greenlane.decide', <ReviewPage />),
  guarded('luong-xanh/giay/:id', 'greenlane.read', <PermitPage />),
  guarded('luong-xanh/quet', 'greenlane.pass', <ScanPage />),
  guarded('cua-khau/bang', 'gates.board', <BoardPage />),
];

const NAV: { to: string; label: GreenLaneKey; permission: Permission }[] = [
  { to: '/luong-xanh/dang-ky', label: 'nav.apply', permission: 'greenlane.apply' },
  { to: '/luong-xanh/xet-duyet', label: 'nav.review', permission: 'greenlane.decide' },
  { to: '/luong-xanh/quet', label: 'nav.scan', permission: 'greenlane.pass' },
  { to: '/cua-khau/bang', label: 'nav.board', permission: 'gates.board' },
];

export function GreenLaneNavLinks({
  isActive,
  onNavigate,
}: {
  isActive: (to: string) => boolean;
  onNavigate: () => void;
}) {
  const me = useMe();
  const { gt } = useGT();
  return NAV.filter((n) => me.permissions.includes(n.permission)).map((n) => (
    <NavLink
      key={n.to}
      component={Link}
      to={n.to}
      label={gt(n.label)}
      active={isActive(n.to)}
      onClick={onNavigate}
    />
  ));
}
