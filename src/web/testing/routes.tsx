/** The testing and labs pages: /tra-cuu-ket-qua (public) and, inside the shell, the staff pages. */
import type { RouteObject } from 'react-router';
import { TestingGuard } from './access.tsx';
import { CampaignsPage } from './CampaignsPage.tsx';
import { ImportJobPage } from './ImportJobPage.tsx';
import { ImportPage } from './ImportPage.tsx';
import { LabsPage } from './LabsPage.tsx';
import { LookupPage } from './LookupPage.tsx';
import { PoolPage, PoolsPage } from './PoolsPage.tsx';
import { SpecimenPage } from './SpecimenPage.tsx';
import { StatsPage } from './StatsPage.tsx';
import { TestingPage } from './TestingPage.tsx';
import type { TestingPermission } from './types.ts';
import './t.ts';

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
