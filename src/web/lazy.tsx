/**
 * Issue 15.6: every page is its own chunk, fetched when its route is first opened, so the first
 * page a phone on 3G opens downloads only the shell and that page.
 *
 * A chunk that cannot be fetched (offline before the service worker cached it, or a chunk of an
 * older build that a new deployment removed) shows a message with a reload button in the user's
 * language instead of a blank page.
 */
import { Alert, Button, Center, Loader, Stack } from '@mantine/core';
import { lazy, Suspense, type ComponentType } from 'react';
import { useTranslation } from 'react-i18next';

function PageLoading() {
  const { t } = useTranslation();
  return (
    <Center py="xl" aria-busy="true" aria-label={t('common.loadingPage')}>
      <Loader size="sm" />
    </Center>
  );
}

function PageLoadFailed() {
  const { t } = useTranslation();
  return (
    <Stack p="md" maw={520}>
      <Alert color="red" role="alert">
        {t('common.pageLoadFailed')}
      </Alert>
      <Button onClick={() => window.location.reload()}>{t('common.reload')}</Button>
    </Stack>
  );
}

/** A page component loaded on first use: `lazyPage(() => import('./XPage.tsx'), 'XPage')`. */
export function lazyPage<M extends Record<K, ComponentType<never>>, K extends keyof M & string>(
  load: () => Promise<M>,
  name: K,
): ComponentType {
  const Page = lazy(async () => {
    try {
      return { default: (await load())[name] as ComponentType };
    } catch {
      return { default: PageLoadFailed };
    }
  });
  function LazyPage() {
    return (
      <Suspense fallback={<PageLoading />}>
        <Page />
      </Suspense>
    );
  }
  LazyPage.displayName = `lazy(${name})`;
  return LazyPage;
}
