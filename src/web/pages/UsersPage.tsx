import {
  Anchor,
  Badge,
  Button,
  Center,
  Group,
  Loader,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue, useMediaQuery } from '@mantine/hooks';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, qs, type Page, type User } from '../api.ts';
import { useCan } from '../auth.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { useRoleLabel } from '../hooks.ts';
import { UserCreateModal } from './UserCreateModal.tsx';

export function StatusBadge({ disabled }: { disabled: boolean }) {
  const { t } = useTranslation();
  return disabled ? (
    <Badge
      color="gray"
      variant="light"
      tt="none"
      style={{ flexShrink: 0 }}
      styles={{ label: { overflow: 'visible' } }}
    >
      {t('users.disabled')}
    </Badge>
  ) : (
    <Badge
      color="teal"
      variant="light"
      tt="none"
      style={{ flexShrink: 0 }}
      styles={{ label: { overflow: 'visible' } }}
    >
      {t('users.active')}
    </Badge>
  );
}

export function UsersPage() {
  const { t } = useTranslation();
  const canManage = useCan('users.manage');
  const roleLabel = useRoleLabel();
  const wide = useMediaQuery('(min-width: 48em)');
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [creating, setCreating] = useState(false);

  const users = useInfiniteQuery({
    queryKey: ['users', q],
    queryFn: ({ pageParam }) =>
      api<Page<User>>(`/api/v1/users${qs({ q, cursor: pageParam, limit: 50 })}`),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const rows = users.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Title order={2}>{t('users.title')}</Title>
        {canManage && <Button onClick={() => setCreating(true)}>{t('users.create')}</Button>}
      </Group>
      <TextInput
        type="search"
        aria-label={t('common.search')}
        placeholder={t('users.searchPlaceholder')}
        value={search}
        onChange={(e) => setSearch(e.currentTarget.value)}
        maw={480}
      />
      {users.isError && <ErrorAlert error={users.error} />}
      {users.isPending ? (
        <Center p="lg">
          <Loader />
        </Center>
      ) : rows.length === 0 ? (
        <Text c="dimmed">{t('users.empty')}</Text>
      ) : wide ? (
        <Table.ScrollContainer minWidth={720}>
          <Table striped highlightOnHover verticalSpacing="xs" data-testid="users-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('users.username')}</Table.Th>
                <Table.Th>{t('users.fullName')}</Table.Th>
                <Table.Th>{t('users.role')}</Table.Th>
                <Table.Th>{t('users.jurisdiction')}</Table.Th>
                <Table.Th>{t('users.status')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((u) => (
                <Table.Tr key={u.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/users/${u.id}`} ff="monospace" size="sm">
                      {u.username}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{u.fullName}</Table.Td>
                  <Table.Td>{roleLabel(u.role, u.roleLabel)}</Table.Td>
                  <Table.Td>{u.scopeLabel}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <StatusBadge disabled={u.disabled} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : (
        <Stack gap="xs" data-testid="users-list">
          {rows.map((u) => (
            <Paper
              key={u.id}
              withBorder
              p="sm"
              radius="md"
              component={Link}
              to={`/users/${u.id}`}
              style={{ color: 'inherit', textDecoration: 'none' }}
            >
              <Group justify="space-between" wrap="nowrap" align="flex-start" gap="xs">
                <div style={{ minWidth: 0 }}>
                  <Text fw={600}>{u.fullName}</Text>
                  <Text size="sm" ff="monospace" c="teal.8">
                    {u.username}
                  </Text>
                </div>
                <StatusBadge disabled={u.disabled} />
              </Group>
              <Text size="sm" mt={4}>
                {roleLabel(u.role, u.roleLabel)}
              </Text>
              <Text size="sm" c="dimmed">
                {u.scopeLabel}
              </Text>
            </Paper>
          ))}
        </Stack>
      )}
      {users.hasNextPage && (
        <Group>
          <Button
            variant="default"
            onClick={() => void users.fetchNextPage()}
            loading={users.isFetchingNextPage}
          >
            {t('common.loadMore')}
          </Button>
        </Group>
      )}
      {canManage && <UserCreateModal opened={creating} onClose={() => setCreating(false)} />}
    </Stack>
  );
}
