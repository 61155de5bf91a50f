/** The cases and contact-tracing pages, as children of the app's shell route (see App.tsx). */
import type { ReactNode } from 'react';
import type { RouteObject } from 'react-router';
import { useMe } from '../auth.tsx';
import { NotFoundPage } from '../pages/NotFoundPage.tsx';
import { CasesGuard } from './access.tsx';
import { BoardPage } from './BoardPage.tsx';
import { CaseDetailPage } from './CaseDetailPage.tsx';
import { CasesPage } from './CasesPage.tsx';
import { ChainPage } from './ChainPage.tsx';
import { ClusterDetailPage, ClustersPage } from './ClustersPage.tsx';
import { LockdownsPage } from './LockdownsPage.tsx';
import { mayReadNotices } from './nav.tsx';
import { NoticesPage } from './NoticesPage.tsx';
import { VenueDetailPage, VenuesPage } from './VenuesPage.tsx';
import './t.ts';

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
