import { Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';

/** The banner's height: one line, also on a 360 px phone. */
const H = 32;

/**
 * Issue 10, item 13: a server running in demo mode (EPIGUARD_DEMO=on, where the README's demo
 * password opens the demo accounts) says so at the top of every page, logged in or not. The
 * strip is fixed above everything; the staff app's fixed header and navigation move down by
 * its height, and other pages by a spacer.
 */
export function DemoBanner() {
  const { t } = useTranslation();
  const instance = useQuery({
    queryKey: ['public-instance'],
    queryFn: () => api<{ demo: boolean }>('/api/v1/public/instance'),
    staleTime: Infinity,
  });
  if (!instance.data?.demo) return null;
  return (
    <>
      <style>{`
        body .mantine-AppShell-header { top: ${H}px; }
        body .mantine-AppShell-navbar {
          top: calc(var(--app-shell-header-offset, 0rem) + ${H}px);
          height: calc(100dvh - var(--app-shell-header-offset, 0rem) - ${H}px);
        }`}</style>
      <div style={{ height: H }} aria-hidden />
      <div
        role="status"
        data-testid="demo-banner"
        title={t('account.demoBannerDetail')}
        style={{
          position: 'fixed',
          top: 0,
          left: 0,
          right: 0,
          height: H,
          // Above the app's header and navigation (100), under dialogs (200) and menus (300).
          zIndex: 150,
          display: 'flex',
          alignItems: 'center',
          justifyContent: 'center',
          padding: '0 8px',
          background: 'var(--mantine-color-orange-7)',
          color: 'white',
        }}
      >
        <Text size="xs" fw={700} truncate="end">
          {t('account.demoBanner')}
        </Text>
      </div>
    </>
  );
}
