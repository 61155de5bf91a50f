/** The rule-set administration pages inside the shell (issue 18). */
import type { ReactNode } from 'react';
import type { RouteObject } from 'react-router';
import { useMe } from '../auth.tsx';
import { NotFoundPage } from '../pages/NotFoundPage.tsx';
import type { RuleSetsPermission } from './t.ts';
import { lazyPage } from '../lazy.tsx'; // issue 15.6: each page is its own chunk

const NewVersionPage = lazyPage(() => import('./NewVersionPage.tsx'), 'NewVersionPage');
const RuleSetsPage = lazyPage(() => import('./RuleSetsPage.tsx'), 'RuleSetsPage');
const VersionPage = lazyPage(() => import('./VersionPage.tsx'), 'VersionPage');

function Guard({ permission, children }: { permission: RuleSetsPermission; children: ReactNode }) {
  return useMe().permissions.includes(permission) ? children : <NotFoundPage />;
}

export const ruleSetRoutes: RouteObject[] = [
  {
    path: 'quy-tac',
    element: (
      <Guard permission="rulesets.read">
        <RuleSetsPage />
      </Guard>
    ),
  },
  {
    path: 'quy-tac/:id',
    element: (
      <Guard permission="rulesets.read">
        <VersionPage />
      </Guard>
    ),
  },
  {
    path: 'quy-tac/:id/phien-ban-moi',
    element: (
      <Guard permission="rulesets.manage">
        <NewVersionPage />
      </Guard>
    ),
  },
];
