/** The vaccination pages: /kiem-tra-chung-nhan (public) and, inside the shell, the staff pages. */
import type { RouteObject } from 'react-router';
import { VaccinationGuard } from './access.tsx';
import { CertificatePage } from './CertificatePage.tsx';
import { CoveragePage } from './CoveragePage.tsx';
import { DuePage } from './DuePage.tsx';
import { PersonVaccinationPage } from './PersonVaccinationPage.tsx';
import { UnvaccinatedPage } from './UnvaccinatedPage.tsx';
import { VaccinationHomePage } from './VaccinationHomePage.tsx';
import { VerifyPage } from './VerifyPage.tsx';
import type { VaccinationPermission } from './types.ts';
import './t.ts';

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
