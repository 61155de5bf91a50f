import { Center, Loader } from '@mantine/core';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { createContext, useContext, type ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { api, ApiError, type Me, type Permission } from './api.ts';
import { ErrorAlert } from './components/ErrorAlert.tsx';

/** Where a user changes their own password (issue 10, item 8). */
export const PASSWORD_PATH = '/account/password';

/** The logged-in user, or null when there is no session. */
export const meQuery = queryOptions({
  queryKey: ['me'],
  queryFn: async (): Promise<Me | null> => {
    try {
      return await api<Me>('/api/v1/me');
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return null;
      throw e;
    }
  },
  staleTime: 5 * 60_000,
});

const MeContext = createContext<Me | null>(null);

/** The current user; only inside <RequireAuth>. */
export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error('useMe outside RequireAuth');
  return me;
}

export function useCan(permission: Permission): boolean {
  return useMe().permissions.includes(permission);
}

/** Renders its children only with a session; otherwise goes to /login?next=… */
export function RequireAuth({ children }: { children: ReactNode }) {
  const location = useLocation();
  const me = useQuery(meQuery);
  if (me.isPending) {
    return (
      <Center h="100dvh">
        <Loader />
      </Center>
    );
  }
  if (me.isError) {
    return (
      <Center h="100dvh" p="md">
        <ErrorAlert error={me.error} />
      </Center>
    );
  }
  if (!me.data) {
    const next = location.pathname + location.search;
    const to = next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`;
    return <Navigate to={to} replace />;
  }
  // Issue 10, item 8: after an administrator's reset, the change page is the only page.
  if (me.data.mustChangePassword && location.pathname !== PASSWORD_PATH)
    return <Navigate to={PASSWORD_PATH} replace />;
  return <MeContext.Provider value={me.data}>{children}</MeContext.Provider>;
}

/** The most specific administrative unit of a jurisdiction (commune, else district, else province). */
export function homeUnitCode(me: Me): string {
  return me.scope.communeCode ?? me.scope.districtCode ?? me.scope.provinceCode;
}
