/** The rule-set administration pages inside the shell (issue 18). */
import type { ReactNode } from 'react';
import type { RouteObject } from 'react-router';
import { useMe } from '../auth.tsx';
import { NotFoundPage } from '../pages/NotFoundPage.tsx';
import { NewVersionPage } from './NewVersionPage.tsx';
import { RuleSetsPage } from './RuleSetsPage.tsx';
import type { RuleSetsPermission } from './t.ts';
import { VersionPage } from './VersionPage.tsx';

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
