import { Button, Card, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { formatDateTime } from '../format.ts';

interface LoginBlocks {
  items: { client: string; failures: number; blockedUntil: string | null; lastAt: string }[];
}

/**
 * Issue 10, item 6: on a user's page, an administrator sees from which addresses logins as this
 * user failed and whether they are held back, and lifts the holds (both audited by the server).
 */
export function LoginBlocksCard({ userId }: { userId: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const key = ['login-blocks', userId];
  const blocks = useQuery({
    queryKey: key,
    queryFn: () => api<LoginBlocks>(`/api/v1/users/${encodeURIComponent(userId)}/login-blocks`),
  });
  const lift = useMutation({
    mutationFn: () =>
      api<void>(`/api/v1/users/${encodeURIComponent(userId)}/login-blocks`, { method: 'DELETE' }),
    onSuccess: async () => {
      notifications.show({ color: 'teal', message: t('account.blocksLifted') });
      await queryClient.invalidateQueries({ queryKey: key });
    },
  });
  const items = blocks.data?.items ?? [];
  return (
    <Card withBorder radius="md" data-testid="login-blocks">
      <Title order={3} size="h4" mb="sm">
        {t('account.blocksTitle')}
      </Title>
      {blocks.isError && <ErrorAlert error={blocks.error} />}
      {lift.isError && <ErrorAlert error={lift.error} />}
      <Stack gap="xs">
        {blocks.isSuccess && items.length === 0 && (
          <Text c="dimmed">{t('account.blocksNone')}</Text>
        )}
        {items.map((b) => (
          <div key={b.client}>
            <Text ff="monospace" size="sm">
              {t('account.blocksLine', {
                client: b.client,
                failures: b.failures,
                at: formatDateTime(b.lastAt),
              })}
            </Text>
            {b.blockedUntil && (
              <Text c="red" size="sm" fw={600}>
                {t('account.blocksHeld', { until: formatDateTime(b.blockedUntil) })}
              </Text>
            )}
          </div>
        ))}
        {items.length > 0 && (
          <Button
            color="red"
            variant="light"
            mih={44}
            onClick={() => lift.mutate()}
            loading={lift.isPending}
            style={{ alignSelf: 'flex-start' }}
          >
            {t('account.blocksLift')}
          </Button>
        )}
      </Stack>
    </Card>
  );
}
