/** Today's passages at this site, newest first (from the server: sent ones only). */
import {
  Badge,
  Box,
  Button,
  Collapse,
  Group,
  Loader,
  Paper,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, qs, type Page } from '../api.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { formatDate } from '../format.ts';
import { useDirectionLabel } from './checkpoint-model.ts';
import { ActionBadge, formatTime, useToday } from './components.tsx';
import { useOnline } from './offline.ts';
import type { Entry } from './types.ts';

/** Today's entries at this site, newest first (from the server: sent ones only). */
export function TodayList({ lodging }: { lodging: boolean }) {
  const { t, i18n } = useTranslation();
  const today = useToday();
  const online = useOnline();
  const [open, setOpen] = useState<string | null>(null);
  const list = useInfiniteQuery({
    queryKey: ['entries', 'site', today],
    queryFn: ({ pageParam }) =>
      api<Page<Entry>>(`/api/v1/entries${qs({ date: today, cursor: pageParam, limit: 50 })}`),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    staleTime: 10_000,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const dirLabel = useDirectionLabel(lodging);
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Title order={3} size="h4">
          {t('entry.checkpoint.todayTitle', { date: formatDate(today) })}
        </Title>
        {list.data && (
          <Badge variant="light" color="gray" tt="none" data-testid="today-count">
            {rows.length}
            {list.hasNextPage ? '+' : ''}
          </Badge>
        )}
      </Group>
      {list.isError && online && <ErrorAlert error={list.error} />}
      {!list.data && !online ? (
        <Text c="dimmed" size="sm">
          {t('entry.checkpoint.todayOffline')}
        </Text>
      ) : list.isPending ? (
        <Loader size="sm" />
      ) : rows.length === 0 ? (
        <Text c="dimmed" size="sm">
          {t('entry.checkpoint.todayEmpty')}
        </Text>
      ) : (
        <Stack gap={6} data-testid="today-entries">
          {rows.map((e) => (
            <Paper
              key={e.id}
              withBorder
              radius="md"
              p="xs"
              onClick={() => setOpen(open === e.id ? null : e.id)}
              style={{ cursor: e.classification ? 'pointer' : undefined }}
              data-testid="today-entry"
            >
              <Group justify="space-between" wrap="nowrap" gap="xs" align="flex-start">
                <Box miw={0}>
                  <Text fw={600} size="sm" truncate="end">
                    {e.person?.fullName ?? '—'}
                    {e.person ? ` (${e.person.birthYear})` : ''}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {formatTime(e.at)} · {dirLabel(e.direction)}
                    {e.vehicle ? ` · ${e.vehicle.plate}` : ''}
                    {e.companions ? ` · +${e.companions}` : ''}
                  </Text>
                </Box>
                {e.classification && (
                  <ActionBadge action={e.classification.action} style={{ flexShrink: 0 }} />
                )}
              </Group>
              {e.classification && (
                <Collapse expanded={open === e.id}>
                  <Text size="sm" mt={6}>
                    {i18n.language === 'en'
                      ? e.classification.explanation.en
                      : e.classification.explanation.vi}
                  </Text>
                </Collapse>
              )}
            </Paper>
          ))}
        </Stack>
      )}
      {list.hasNextPage && (
        <Button
          variant="default"
          onClick={() => void list.fetchNextPage()}
          loading={list.isFetchingNextPage}
        >
          {t('common.loadMore')}
        </Button>
      )}
    </Stack>
  );
}
