/** The testing and labs pages: /tra-cuu-ket-qua (public) and, inside the shell, the staff pages. */
import type { RouteObject } from 'react-router';
import { TestingGuard } from './access.tsx';
import type { TestingPermission } from './types.ts';
import { lazyPage } from '../lazy.tsx'; // issue 15.6: each page is its own chunk

const CampaignsPage = lazyPage(() => import('./CampaignsPage.tsx'), 'CampaignsPage');
const ImportJobPage = lazyPage(() => import('./ImportJobPage.tsx'), 'ImportJobPage');
const ImportPage = lazyPage(() => import('./ImportPage.tsx'), 'ImportPage');
const LabsPage = lazyPage(() => import('./LabsPage.tsx'), 'LabsPage');
const LookupPage = lazyPage(() => import('./LookupPage.tsx'), 'LookupPage');
const PoolPage = lazyPage(() => import('./PoolsPage.tsx'), 'PoolPage');
const PoolsPage = lazyPage(() => import('./PoolsPage.tsx'), 'PoolsPage');
const SpecimenPage = lazyPage(() => import('./SpecimenPage.tsx'), 'SpecimenPage');
const StatsPage = lazyPage(() => import('./StatsPage.tsx'), 'StatsPage');
const TestingPage = lazyPage(() => import('./TestingPage.tsx'), 'TestingPage');

/** Outside the login: a citizen looks up their own result. */
export const publicTestingRoutes: RouteObject[] = [
  { path: '/tra-cuu-ket-qua', element: <LookupPage /> },
];

const guarded = (
  path: string,
  permission: TestingPermission,
  element: React.ReactNode,
): RouteObject => ({
  path,
  element: <TestingGuard permission={permission}>{element}</TestingGuard>,
});

/** Children of the shell route (see App.tsx). */
export const testingRoutes: RouteObject[] = [
  guarded('xet-nghiem', 'tests.read', <TestingPage />),
  guarded('xet-nghiem/mau/:id', 'tests.read', <SpecimenPage />),
  guarded('xet-nghiem/nhap-tep', 'tests.import', <ImportPage />),
  guarded('xet-nghiem/nhap-tep/:id', 'tests.import', <ImportJobPage />),
  guarded('xet-nghiem/dot-sang-loc', 'tests.order', <CampaignsPage />),
  guarded('xet-nghiem/so-lieu', 'tests.stats', <StatsPage />),
  guarded('gop-mau', 'pools.write', <PoolsPage />),
  guarded('gop-mau/:id', 'tests.read', <PoolPage />),
  guarded('phong-xet-nghiem', 'tests.stats', <LabsPage />),
];
