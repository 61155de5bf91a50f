/** F0 cases of the user's area: filters by status and commune, keyset "load more". */
import {
  Badge,
  Button,
  Card,
  Center,
  Group,
  Loader,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, qs, type Page } from '../api.ts';
import { useMe } from '../auth.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { useCanC } from './access.tsx';
import { CaseCreateModal } from './CaseCreateModal.tsx';
import { formatDayTime, StatusBadge, useCommuneOptions } from './components.tsx';
import { codeLabel, useCT } from './t.ts';
import { CASE_STATUSES, type Case } from './types.ts';

export function CaseCard({ c }: { c: Case }) {
  const ct = useCT();
  const moved = c.currentCommune.code !== c.responsibleCommune.code;
  return (
    <Card
      withBorder
      padding="sm"
      component={Link}
      to={`/ca-benh/${c.id}`}
      data-testid="case-card"
      style={{ color: 'inherit', textDecoration: 'none' }}
    >
      <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
        <div style={{ minWidth: 0 }}>
          <Text fw={700} c="red.8" size="sm">
            {c.code}
          </Text>
          <Text fw={600}>{c.person.fullName}</Text>
        </div>
        <Text size="sm" c="dimmed" style={{ flexShrink: 0 }}>
          {c.person.birthYear}
        </Text>
      </Group>
      <Group gap={6} mt={4} wrap="wrap">
        <StatusBadge status={c.status} tier={c.hospitalTier} />
        {c.cluster && (
          <Badge variant="outline" color="grape" style={{ maxWidth: '100%' }}>
            {c.cluster.name}
          </Badge>
        )}
      </Group>
      <Text size="sm" mt={4}>
        {ct('cases.sampled', { date: formatDayTime(c.positiveSampleAt) })} ·{' '}
        {codeLabel(ct, 'foundBy', c.foundBy)}
      </Text>
      <Text size="sm" c="dimmed">
        {c.responsibleCommune.name}
        {moved ? ` → ${c.currentCommune.name}` : ''}
      </Text>
    </Card>
  );
}

export function CasesPage() {
  const ct = useCT();
  const { t } = useTranslation();
  const me = useMe();
  const canWrite = useCanC('cases.write');
  const [status, setStatus] = useState<string | null>('open');
  const [commune, setCommune] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const communes = useCommuneOptions(me);

  const cases = useInfiniteQuery({
    queryKey: ['cases', 'list', status, commune],
    queryFn: ({ pageParam }) =>
      api<Page<Case>>(`/api/v1/cases${qs({ status, commune, cursor: pageParam, limit: 20 })}`),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: (prev) => prev,
  });
  const rows = cases.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = !!commune || (status !== null && status !== 'open');

  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Title order={2}>{ct('cases.title')}</Title>
        {canWrite && <Button onClick={() => setCreating(true)}>{ct('cases.add')}</Button>}
      </Group>
      <Group gap="sm" wrap="nowrap" align="flex-start" maw={640}>
        <Select
          label={ct('cases.statusFilter')}
          placeholder={t('common.all')}
          data={[
            { value: 'open', label: ct('statusFilter.open') },
            { value: 'closed', label: ct('statusFilter.closed') },
            ...CASE_STATUSES.map((s) => ({ value: s, label: codeLabel(ct, 'status', s) })),
          ]}
          value={status}
          onChange={setStatus}
          clearable
          style={{ flex: 1, minWidth: 0 }}
          data-testid="status-filter"
        />
        {communes.data && (
          <Select
            label={ct('cases.communeFilter')}
            placeholder={ct('cases.allCommunes')}
            data={communes.data.map((u) => ({ value: u.code, label: u.name }))}
            value={commune}
            onChange={setCommune}
            searchable
            clearable
            nothingFoundMessage="—"
            style={{ flex: 1, minWidth: 0 }}
          />
        )}
      </Group>
      {cases.isError && <ErrorAlert error={cases.error} />}
      {cases.isPending ? (
        <Center p="lg">
          <Loader />
        </Center>
      ) : rows.length === 0 ? (
        <Text c="dimmed">{filtered ? ct('cases.emptyFiltered') : ct('cases.empty')}</Text>
      ) : (
        <>
          <Text size="sm" c="dimmed">
            {cases.hasNextPage
              ? ct('cases.countMore', { count: rows.length })
              : ct('cases.count', { count: rows.length })}
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="xs" data-testid="case-list">
            {rows.map((c) => (
              <CaseCard key={c.id} c={c} />
            ))}
          </SimpleGrid>
        </>
      )}
      {cases.hasNextPage && (
        <Group>
          <Button
            variant="default"
            onClick={() => void cases.fetchNextPage()}
            loading={cases.isFetchingNextPage}
          >
            {t('common.loadMore')}
          </Button>
        </Group>
      )}
      {canWrite && creating && (
        <CaseCreateModal opened={creating} onClose={() => setCreating(false)} />
      )}
    </Stack>
  );
}
