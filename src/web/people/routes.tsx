/** The people and households pages, as children of the app's shell route (see App.tsx). */
import type { RouteObject } from 'react-router';
import { PeopleGuard } from './access.tsx';
import { HouseholdDetailPage } from './HouseholdDetailPage.tsx';
import { HouseholdsPage } from './HouseholdsPage.tsx';
import { MergePage } from './MergePage.tsx';
import { PeoplePage } from './PeoplePage.tsx';
import { PersonDetailPage } from './PersonDetailPage.tsx';
import './t.ts';

export const peopleRoutes: RouteObject[] = [
  {
    path: 'nguoi-dan',
    element: (
      <PeopleGuard permission="persons.read">
        <PeoplePage />
      </PeopleGuard>
    ),
  },
  {
    path: 'nguoi-dan/:id',
    element: (
      <PeopleGuard permission="persons.read">
        <PersonDetailPage />
      </PeopleGuard>
    ),
  },
  {
    path: 'nguoi-dan/:id/gop/:otherId',
    element: (
      <PeopleGuard permission="persons.merge">
        <MergePage />
      </PeopleGuard>
    ),
  },
  {
    path: 'ho-gia-dinh',
    element: (
      <PeopleGuard permission="households.read">
        <HouseholdsPage />
      </PeopleGuard>
    ),
  },
  {
    path: 'ho-gia-dinh/:id',
    element: (
      <PeopleGuard permission="households.read">
        <HouseholdDetailPage />
      </PeopleGuard>
    ),
  },
];
