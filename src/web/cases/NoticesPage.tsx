/** Notices to the area: new F0, new F1 to reach, transfers; mark them read. */
import {
  Anchor,
  Badge,
  Button,
  Card,
  Center,
  Chip,
  Group,
  Loader,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, qs } from '../api.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { formatDayTime } from './components.tsx';
import { useBi, useCT } from './t.ts';
import type { Notice, NoticePage } from './types.ts';

const refLink = (n: Notice) =>
  n.ref.type === 'case'
    ? `/ca-benh/${n.ref.id}`
    : n.ref.type === 'quarantine_order'
      ? '/truy-vet'
      : null;

export function NoticesPage() {
  const ct = useCT();
  const bi = useBi();
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const list = useInfiniteQuery({
    queryKey: ['notices', 'list', unreadOnly],
    queryFn: ({ pageParam }) =>
      api<NoticePage>(
        `/api/v1/notices${qs({ unread: unreadOnly ? 'true' : null, cursor: pageParam, limit: 30 })}`,
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const read = useMutation({
    mutationFn: (id: string) => api(`/api/v1/notices/${id}/read`, { method: 'POST' }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['notices'] }),
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const unread = list.data?.pages[0]?.unread ?? 0;
  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Title order={2}>{ct('notices.title')}</Title>
        {unread > 0 && (
          <Badge color="red" size="lg">
            {ct('notices.unread', { count: unread })}
          </Badge>
        )}
      </Group>
      <Group>
        <Chip checked={unreadOnly} onChange={setUnreadOnly} size="sm">
          {ct('notices.onlyUnread')}
        </Chip>
      </Group>
      {list.isError && <ErrorAlert error={list.error} />}
      {list.isPending ? (
        <Center p="lg">
          <Loader />
        </Center>
      ) : rows.length === 0 ? (
        <Text c="dimmed">{ct('notices.empty')}</Text>
      ) : (
        <Stack gap="xs" data-testid="notice-list">
          {rows.map((n) => {
            const to = refLink(n);
            return (
              <Card
                key={n.id}
                withBorder
                padding="sm"
                data-testid="notice"
                bg={n.read ? undefined : 'yellow.0'}
              >
                <Text size="sm" fw={n.read ? 400 : 600}>
                  {bi(n.title)}
                </Text>
                <Group justify="space-between" mt={4} wrap="nowrap">
                  <Text size="xs" c="dimmed">
                    {formatDayTime(n.createdAt)}
                  </Text>
                  <Group gap="xs" wrap="nowrap">
                    {to && (
                      <Anchor
                        component={Link}
                        to={to}
                        size="sm"
                        onClick={() => !n.read && read.mutate(n.id)}
                      >
                        {ct('notices.open')}
                      </Anchor>
                    )}
                    {!n.read && (
                      <Button size="compact-xs" variant="subtle" onClick={() => read.mutate(n.id)}>
                        {ct('notices.markRead')}
                      </Button>
                    )}
                  </Group>
                </Group>
              </Card>
            );
          })}
        </Stack>
      )}
      {list.hasNextPage && (
        <Group>
          <Button variant="default" onClick={() => void list.fetchNextPage()}>
            {t('common.loadMore')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
