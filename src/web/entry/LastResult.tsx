/** The answer to the entry just recorded: sent (the server's decision), waiting, or refused. */
import { Alert, Badge, Box, Button, Group, Loader, Paper, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { formatDateTime } from '../format.ts';
import { useDirectionLabel } from './checkpoint-model.ts';
import { DecisionComparison, ProvisionalView } from './ClassificationView.tsx';
import { ACTION_COLORS } from './components.tsx';
import { MatchPanel } from './MatchPanel.tsx';
import { useOnline } from './offline.ts';
import { outbox, refusalText, type OutboxItem } from './outbox.ts';
import type { Provisional } from './provisional.ts';
import type { Entry } from './types.ts';

/** The answer to the last entry submitted: sent (with its result), waiting, or refused. */
export function LastResult({
  clientId,
  label,
  name: phoneName,
  provisional,
  items,
  lodging,
  onEdit,
}: {
  clientId: string;
  label: string;
  /** The name the phone read from the QR or the declaration typed in. */
  name?: string | null;
  /** The classification made on the phone (issue 16 item 1). */
  provisional?: Provisional;
  items: OutboxItem[];
  lodging: boolean;
  onEdit: (item: OutboxItem) => void;
}) {
  const { t } = useTranslation();
  const online = useOnline();
  const dirLabel = useDirectionLabel(lodging);
  const sent = outbox.sent.get(clientId) as Entry | undefined;
  const item = items.find((i) => i.clientId === clientId);
  const detail = useQuery({
    queryKey: ['entry', sent?.id],
    queryFn: () => api<Entry>(`/api/v1/entries/${sent!.id}`),
    enabled: !!sent?.id,
    staleTime: 60_000,
  });
  if (sent) {
    const name = detail.data?.person?.fullName ?? sent.person?.fullName ?? phoneName;
    return (
      <Paper
        withBorder
        radius="md"
        p="md"
        data-testid="entry-result"
        style={{
          borderLeft: `6px solid var(--mantine-color-${
            sent.classification ? ACTION_COLORS[sent.classification.action] : 'teal'
          }-6)`,
        }}
      >
        <Stack gap="sm">
          <Group justify="space-between" wrap="nowrap" align="flex-start">
            <div>
              <Text fw={700} size="lg">
                {name ?? label}
              </Text>
              <Text size="sm" c="dimmed">
                {formatDateTime(sent.at)} · {dirLabel(sent.direction)}
              </Text>
            </div>
            <Badge color="teal" variant="light" tt="none" style={{ flexShrink: 0 }}>
              {sent.replay ? t('entry.checkpoint.replayed') : t('entry.checkpoint.recorded')}
            </Badge>
          </Group>
          {sent.classification ? (
            <DecisionComparison p={provisional} entry={sent} />
          ) : (
            <Text size="sm">{t('entry.checkpoint.noClassification')}</Text>
          )}
          {sent.followUpId && (
            <Text size="sm" c="teal.8">
              {t('entry.checkpoint.followUpCreated')}
            </Text>
          )}
          {sent.registryMatch === 'pending' && sent.declarationCode && (
            <MatchPanel code={sent.declarationCode} />
          )}
        </Stack>
      </Paper>
    );
  }
  if (item?.status === 'error') {
    return (
      <Alert
        color="red"
        variant="light"
        title={t('entry.outbox.refused')}
        data-testid="entry-result"
      >
        <Text size="sm">{label}</Text>
        <Text size="sm" fw={600}>
          {refusalText(item.lastError)}
        </Text>
        {item.draft !== undefined && (
          <Button size="xs" mt="xs" variant="white" onClick={() => onEdit(item)}>
            {t('entry.outbox.edit')}
          </Button>
        )}
      </Alert>
    );
  }
  if (item) {
    return (
      <Alert
        color={online ? 'blue' : 'yellow'}
        variant="light"
        title={online ? t('entry.checkpoint.sending') : t('entry.checkpoint.savedOffline')}
        icon={online ? <Loader size="xs" /> : undefined}
        data-testid="entry-result"
      >
        {phoneName && (
          <Text fw={700} size="lg" data-testid="pending-name">
            {phoneName}
          </Text>
        )}
        <Text size="sm">{label}</Text>
        {!online && <Text size="sm">{t('entry.checkpoint.savedOfflineText')}</Text>}
        {provisional && (
          <Box mt="xs">
            <ProvisionalView p={provisional} />
          </Box>
        )}
      </Alert>
    );
  }
  return null;
}
