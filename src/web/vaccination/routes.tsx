/** The vaccination pages: /kiem-tra-chung-nhan (public) and, inside the shell, the staff pages. */
import type { RouteObject } from 'react-router';
import { VaccinationGuard } from './access.tsx';
import type { VaccinationPermission } from './types.ts';
import { lazyPage } from '../lazy.tsx'; // issue 15.6: each page is its own chunk

const CertificatePage = lazyPage(() => import('./CertificatePage.tsx'), 'CertificatePage');
const CoveragePage = lazyPage(() => import('./CoveragePage.tsx'), 'CoveragePage');
const DuePage = lazyPage(() => import('./DuePage.tsx'), 'DuePage');
const PersonVaccinationPage = lazyPage(
  () => import('./PersonVaccinationPage.tsx'),
  'PersonVaccinationPage',
);
const UnvaccinatedPage = lazyPage(() => import('./UnvaccinatedPage.tsx'), 'UnvaccinatedPage');
const VaccinationHomePage = lazyPage(
  () => import('./VaccinationHomePage.tsx'),
  'VaccinationHomePage',
);
const VerifyPage = lazyPage(() => import('./VerifyPage.tsx'), 'VerifyPage');

/** Outside the login: anyone may check a certificate. */
export const publicVaccinationRoutes: RouteObject[] = [
  { path: '/kiem-tra-chung-nhan', element: <VerifyPage /> },
];

const guarded = (
  path: string,
  permission: VaccinationPermission,
  element: React.ReactNode,
): RouteObject => ({
  path,
  element: <VaccinationGuard permission={permission}>{element}</VaccinationGuard>,
});

/** Children of the shell route (see App.tsx). */
export const vaccinationRoutes: RouteObject[] = [
  guarded('tiem-chung', 'vaccinations.read', <VaccinationHomePage />),
  guarded('tiem-chung/nguoi/:id', 'vaccinations.read', <PersonVaccinationPage />),
  guarded('tiem-chung/chung-nhan/:id', 'certificates.issue', <CertificatePage />),
  guarded('tiem-chung/den-han', 'vaccinations.read', <DuePage />),
  guarded('tiem-chung/chua-tiem', 'vaccinations.read', <UnvaccinatedPage />),
  guarded('tiem-chung/bao-phu', 'coverage.read', <CoveragePage />),
];
