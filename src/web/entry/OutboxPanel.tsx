/** The list of what was recorded on this device and not yet accepted by the server. */
import { Alert, Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../format.ts';
import { useOnline } from './offline.ts';
import { outbox, refusalText, type OutboxItem } from './outbox.ts';

export function OutboxPanel({
  items,
  needsLogin,
  syncing,
  onEdit,
  title,
  extra,
}: {
  items: OutboxItem[];
  needsLogin: boolean;
  syncing: boolean;
  /** Open a refused item in its form again (when it kept its draft). */
  onEdit?: (item: OutboxItem) => void;
  title?: string;
  /** More about an item under its line (the checkpoint: the name and the phone's decision). */
  extra?: (item: OutboxItem) => ReactNode;
}) {
  const { t } = useTranslation();
  const online = useOnline();
  const [confirming, setConfirming] = useState<string | null>(null);
  if (!items.length && !needsLogin) return null;
  return (
    <Paper withBorder radius="md" p={{ base: 'sm', sm: 'md' }} data-testid="outbox">
      <Stack gap="sm">
        <Group justify="space-between" wrap="nowrap">
          <Title order={3} size="h4">
            {title ?? t('entry.outbox.title')}: {items.length}
          </Title>
          {online && items.some((i) => i.status === 'pending') && (
            <Button
              size="xs"
              variant="light"
              loading={syncing}
              onClick={() => void outbox.sync(true)}
            >
              {t('entry.outbox.sendNow')}
            </Button>
          )}
        </Group>
        {!online && (
          <Text size="sm" c="dimmed">
            {t('entry.outbox.offlineHint')}
          </Text>
        )}
        {needsLogin && (
          <Alert color="orange" variant="light">
            {t('entry.outbox.needsLogin')}
          </Alert>
        )}
        <Stack gap={6} data-testid="outbox-items">
          {items.map((item) => (
            <Paper
              key={item.clientId}
              withBorder
              radius="sm"
              p="xs"
              bg={item.status === 'error' ? 'red.0' : undefined}
              data-testid="outbox-item"
            >
              <Group justify="space-between" wrap="nowrap" align="flex-start" gap="xs">
                <div style={{ minWidth: 0 }}>
                  <Text size="sm" fw={600}>
                    {item.label}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {formatDateTime(item.createdAt)}
                    {item.attempts > 0 && item.status === 'pending'
                      ? ` · ${t('entry.outbox.attempts', { count: item.attempts })}`
                      : ''}
                  </Text>
                </div>
                <Badge
                  color={item.status === 'error' ? 'red' : 'orange'}
                  variant="light"
                  tt="none"
                  style={{ flexShrink: 0 }}
                >
                  {item.status === 'error' ? t('entry.outbox.refused') : t('entry.outbox.waiting')}
                </Badge>
              </Group>
              {extra?.(item)}
              {item.lastError && (
                <>
                  <Text size="sm" c="red.8" mt={4} data-testid="outbox-error">
                    {refusalText(item.lastError)}
                  </Text>
                </>
              )}
              {item.status === 'error' && (
                <Group gap="xs" mt={6}>
                  {onEdit && item.draft !== undefined && (
                    <Button size="xs" variant="default" onClick={() => onEdit(item)}>
                      {t('entry.outbox.edit')}
                    </Button>
                  )}
                  <Button
                    size="xs"
                    variant="default"
                    onClick={() => void outbox.retry(item.clientId)}
                  >
                    {t('entry.outbox.retry')}
                  </Button>
                  <Button
                    size="xs"
                    variant="subtle"
                    color="red"
                    onClick={() => setConfirming(item.clientId)}
                  >
                    {t('entry.outbox.discard')}
                  </Button>
                </Group>
              )}
              {confirming === item.clientId && (
                <Alert color="red" variant="light" mt={6} p="xs">
                  <Text size="sm">{t('entry.outbox.discardConfirm')}</Text>
                  <Group gap="xs" mt={6}>
                    <Button
                      size="xs"
                      color="red"
                      onClick={() => {
                        setConfirming(null);
                        void outbox.discard(item.clientId);
                      }}
                    >
                      {t('entry.outbox.discard')}
                    </Button>
                    <Button size="xs" variant="default" onClick={() => setConfirming(null)}>
                      {t('common.cancel')}
                    </Button>
                  </Group>
                </Alert>
              )}
            </Paper>
          ))}
        </Stack>
      </Stack>
    </Paper>
  );
}
