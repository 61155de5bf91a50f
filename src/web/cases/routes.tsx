/** The cases and contact-tracing pages, as children of the app's shell route (see App.tsx). */
import type { ReactNode } from 'react';
import type { RouteObject } from 'react-router';
import { useMe } from '../auth.tsx';
import { NotFoundPage } from '../pages/NotFoundPage.tsx';
import { CasesGuard } from './access.tsx';
import { mayReadNotices } from './nav.tsx';
import { lazyPage } from '../lazy.tsx'; // issue 15.6: each page is its own chunk

const BoardPage = lazyPage(() => import('./BoardPage.tsx'), 'BoardPage');
const CaseDetailPage = lazyPage(() => import('./CaseDetailPage.tsx'), 'CaseDetailPage');
const CasesPage = lazyPage(() => import('./CasesPage.tsx'), 'CasesPage');
const ChainPage = lazyPage(() => import('./ChainPage.tsx'), 'ChainPage');
const ClusterDetailPage = lazyPage(() => import('./ClustersPage.tsx'), 'ClusterDetailPage');
const ClustersPage = lazyPage(() => import('./ClustersPage.tsx'), 'ClustersPage');
const LockdownsPage = lazyPage(() => import('./LockdownsPage.tsx'), 'LockdownsPage');
const NoticesPage = lazyPage(() => import('./NoticesPage.tsx'), 'NoticesPage');
const VenueDetailPage = lazyPage(() => import('./VenuesPage.tsx'), 'VenueDetailPage');
const VenuesPage = lazyPage(() => import('./VenuesPage.tsx'), 'VenuesPage');

function NoticesGuard({ children }: { children: ReactNode }) {
  return mayReadNotices(useMe().permissions) ? children : <NotFoundPage />;
}

export const casesRoutes: RouteObject[] = [
  {
    path: 'ca-benh',
    element: (
      <CasesGuard permission="cases.read">
        <CasesPage />
      </CasesGuard>
    ),
  },
  {
    path: 'ca-benh/:id',
    element: (
      <CasesGuard permission="cases.read">
        <CaseDetailPage />
      </CasesGuard>
    ),
  },
  {
    path: 'chuoi-lay/:personId',
    element: (
      <CasesGuard permission="cases.read">
        <ChainPage />
      </CasesGuard>
    ),
  },
  {
    path: 'truy-vet',
    element: (
      <CasesGuard permission="contacts.read">
        <BoardPage />
      </CasesGuard>
    ),
  },
  {
    path: 'o-dich',
    element: (
      <CasesGuard permission="clusters.read">
        <ClustersPage />
      </CasesGuard>
    ),
  },
  {
    path: 'o-dich/:id',
    element: (
      <CasesGuard permission="clusters.read">
        <ClusterDetailPage />
      </CasesGuard>
    ),
  },
  {
    path: 'phong-toa',
    element: (
      <CasesGuard permission="clusters.read">
        <LockdownsPage />
      </CasesGuard>
    ),
  },
  {
    path: 'dia-diem',
    element: (
      <CasesGuard permission="venues.read">
        <VenuesPage />
      </CasesGuard>
    ),
  },
  {
    path: 'dia-diem/:id',
    element: (
      <CasesGuard permission="venues.read">
        <VenueDetailPage />
      </CasesGuard>
    ),
  },
  {
    path: 'thong-bao',
    element: (
      <NoticesGuard>
        <NoticesPage />
      </NoticesGuard>
    ),
  },
];
