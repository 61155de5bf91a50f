/** The green-lane pages (issue 17), children of the shell route (menu: src/web/nav/menu.ts). */
import type { ReactNode } from 'react';
import type { RouteObject } from 'react-router';
import { useMe } from '../auth.tsx';
import { NotFoundPage } from '../pages/NotFoundPage.tsx';
import { lazyPage } from '../lazy.tsx'; // issue 15.6: each page is its own chunk

const AlertsPage = lazyPage(() => import('./AlertsPage.tsx'), 'AlertsPage');
const ApplyPage = lazyPage(() => import('./ApplyPage.tsx'), 'ApplyPage');
const BoardPage = lazyPage(() => import('./BoardPage.tsx'), 'BoardPage');
const BorderPage = lazyPage(() => import('./BorderPage.tsx'), 'BorderPage'); // item 5
const PermitPage = lazyPage(() => import('./PermitPage.tsx'), 'PermitPage');
const ReviewPage = lazyPage(() => import('./ReviewPage.tsx'), 'ReviewPage');
const ScanPage = lazyPage(() => import('./ScanPage.tsx'), 'ScanPage');

type Permission =
  | 'greenlane.apply'
  | 'greenlane.read'
  | 'greenlane.decide'
  | 'greenlane.pass'
  | 'gates.board'
  | 'greenlane.alerts'
  | 'border.read';

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
  guarded('luong-xanh/canh-bao', 'greenlane.alerts', <AlertsPage />),
  guarded('bien-phong', 'border.read', <BorderPage />), // item 5 (border posts)
];
