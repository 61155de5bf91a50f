/** The entry-control pages: /khai-bao (public) and, inside the shell, the staff pages. */
import type { RouteObject } from 'react-router';
import { EntryGuard } from './access.tsx';
import { lazyPage } from '../lazy.tsx'; // issue 15.6: each page is its own chunk

const AreasPage = lazyPage(() => import('./AreasPage.tsx'), 'AreasPage');
const CheckpointPage = lazyPage(() => import('./CheckpointPage.tsx'), 'CheckpointPage');
const DeclarePage = lazyPage(() => import('./DeclarePage.tsx'), 'DeclarePage');
const EntryStatsPage = lazyPage(() => import('./EntryStatsPage.tsx'), 'EntryStatsPage');
const FollowUpsPage = lazyPage(() => import('./FollowUpsPage.tsx'), 'FollowUpsPage');

/** Outside the login: anyone may declare. */
export const publicEntryRoutes: RouteObject[] = [{ path: '/khai-bao', element: <DeclarePage /> }];

/** Children of the shell route (see App.tsx). */
export const entryRoutes: RouteObject[] = [
  {
    path: 'chot',
    element: (
      <EntryGuard permission="entries.write">
        <CheckpointPage />
      </EntryGuard>
    ),
  },
  {
    path: 'theo-doi',
    element: (
      <EntryGuard permission="followups.read">
        <FollowUpsPage />
      </EntryGuard>
    ),
  },
  {
    path: 'thong-ke-ra-vao',
    element: (
      <EntryGuard permission="entries.stats">
        <EntryStatsPage />
      </EntryGuard>
    ),
  },
  {
    path: 'vung-dich',
    element: (
      <EntryGuard permission="geo.read">
        <AreasPage />
      </EntryGuard>
    ),
  },
];
