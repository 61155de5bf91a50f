/** The people and households pages, as children of the app's shell route (see App.tsx). */
import type { RouteObject } from 'react-router';
import { PeopleGuard } from './access.tsx';
import { lazyPage } from '../lazy.tsx'; // issue 15.6: each page is its own chunk

const HouseholdDetailPage = lazyPage(
  () => import('./HouseholdDetailPage.tsx'),
  'HouseholdDetailPage',
);
const HouseholdsPage = lazyPage(() => import('./HouseholdsPage.tsx'), 'HouseholdsPage');
const MergePage = lazyPage(() => import('./MergePage.tsx'), 'MergePage');
const PeoplePage = lazyPage(() => import('./PeoplePage.tsx'), 'PeoplePage');
const PersonDetailPage = lazyPage(() => import('./PersonDetailPage.tsx'), 'PersonDetailPage');

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
