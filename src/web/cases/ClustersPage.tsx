/** Clusters (ổ dịch): list, create with cases, and one cluster with counts over time and graph. */
import {
  Anchor,
  Badge,
  Button,
  Card,
  Center,
  Group,
  Loader,
  Modal,
  MultiSelect,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, ApiError, type Page } from '../api.ts';
import { useMe } from '../auth.tsx';
import { DateField } from '../components/DateField.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { formatDate, parseDisplayDate } from '../format.ts';
import { NotFoundPage } from '../pages/NotFoundPage.tsx';
import { fieldErrors, uuid } from '../util.ts';
import { useCanC } from './access.tsx';
import { ChainGraph } from './ChainGraph.tsx';
import { StatusBadge, useCommuneOptions } from './components.tsx';
import { useCT } from './t.ts';
import type { Case, ClusterDetail, Cluster, Graph } from './types.ts';

function ClusterCreateModal({ onClose }: { onClose: () => void }) {
  const ct = useCT();
  const { t } = useTranslation();
  const me = useMe();
  const phone = useMediaQuery('(max-width: 48em)');
  const queryClient = useQueryClient();
  const communes = useCommuneOptions(me);
  const [name, setName] = useState('');
  const [place, setPlace] = useState('');
  const [commune, setCommune] = useState<string | null>(me.scope.communeCode);
  const [start, setStart] = useState('');
  const [caseIds, setCaseIds] = useState<string[]>([]);
  const [local, setLocal] = useState<Record<string, string>>({});
  const [clientId] = useState(uuid);
  const cases = useQuery({
    queryKey: ['cases', 'list', 'for-cluster'],
    queryFn: () => api<Page<Case>>('/api/v1/cases?status=open&limit=200'),
  });
  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      api<Cluster>('/api/v1/clusters', { method: 'POST', body }),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: ct('clusters.created') });
      void queryClient.invalidateQueries({ queryKey: ['clusters'] });
      void queryClient.invalidateQueries({ queryKey: ['cases'] });
      onClose();
    },
  });
  const errors = { ...fieldErrors(save.error), ...local };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const d = parseDisplayDate(start);
    const problems: Record<string, string> = {};
    if (name.trim().length < 2) problems.name = t('common.required');
    if (!commune) problems.communeCode = t('common.required');
    if (!d) problems.startDate = start ? t('common.invalidDate') : t('common.required');
    setLocal(problems);
    if (Object.keys(problems).length) return;
    save.mutate({
      clientId,
      name: name.trim(),
      ...(place.trim() ? { place: place.trim() } : {}),
      communeCode: commune,
      startDate: d,
      caseIds,
    });
  };
  return (
    <Modal
      opened
      onClose={onClose}
      title={ct('clusters.add')}
      fullScreen={!!phone}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {save.isError && Object.keys(fieldErrors(save.error)).length === 0 && (
            <ErrorAlert error={save.error} />
          )}
          <TextInput
            label={ct('clusters.name')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={errors.name}
            maxLength={200}
          />
          <TextInput
            label={ct('clusters.place')}
            value={place}
            onChange={(e) => setPlace(e.currentTarget.value)}
            maxLength={300}
          />
          {communes.data && (
            <Select
              label={ct('clusters.commune')}
              data={communes.data.map((u) => ({ value: u.code, label: u.name }))}
              value={commune}
              onChange={setCommune}
              searchable
              error={errors.communeCode}
            />
          )}
          <DateField label={ct('clusters.start')} onChange={setStart} error={errors.startDate} />
          <MultiSelect
            label={ct('clusters.pickCases')}
            data={(cases.data?.items ?? []).map((c) => ({
              value: c.id,
              label: `${c.code} — ${c.person.fullName}`,
            }))}
            value={caseIds}
            onChange={setCaseIds}
            searchable
            error={errors.caseIds}
            nothingFoundMessage="—"
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function ClustersPage() {
  const ct = useCT();
  const { t } = useTranslation();
  const canWrite = useCanC('clusters.write');
  const [creating, setCreating] = useState(false);
  const list = useInfiniteQuery({
    queryKey: ['clusters', 'list'],
    queryFn: ({ pageParam }) =>
      api<Page<Cluster>>(
        `/api/v1/clusters?limit=30${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`,
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Title order={2}>{ct('clusters.title')}</Title>
        {canWrite && <Button onClick={() => setCreating(true)}>{ct('clusters.add')}</Button>}
      </Group>
      {list.isError && <ErrorAlert error={list.error} />}
      {list.isPending ? (
        <Center p="lg">
          <Loader />
        </Center>
      ) : rows.length === 0 ? (
        <Text c="dimmed">{ct('clusters.empty')}</Text>
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="xs" data-testid="cluster-list">
          {rows.map((c) => (
            <Card
              key={c.id}
              withBorder
              padding="sm"
              component={Link}
              to={`/o-dich/${c.id}`}
              style={{ color: 'inherit', textDecoration: 'none' }}
            >
              <Group justify="space-between" wrap="nowrap" align="flex-start">
                <Text fw={700}>{c.name}</Text>
                <Badge color="red" variant="filled" style={{ flexShrink: 0 }}>
                  {ct('clusters.cases', { count: c.caseCount })}
                </Badge>
              </Group>
              <Text size="sm" c="dimmed">
                {[c.place, c.communeName].filter(Boolean).join(' · ')}
              </Text>
              <Text size="sm">
                {ct('clusters.since', { date: formatDate(c.startDate) })} ·{' '}
                {c.active
                  ? ct('clusters.active')
                  : ct('clusters.ended', { date: formatDate(c.endDate) })}
              </Text>
            </Card>
          ))}
        </SimpleGrid>
      )}
      {list.hasNextPage && (
        <Group>
          <Button variant="default" onClick={() => void list.fetchNextPage()}>
            {t('common.loadMore')}
          </Button>
        </Group>
      )}
      {creating && <ClusterCreateModal onClose={() => setCreating(false)} />}
    </Stack>
  );
}

/** New cases per day as bars, the cumulative count as a line (plain SVG). */
function DayChart({ days }: { days: ClusterDetail['countsByDay'] }) {
  const ct = useCT();
  if (days.length === 0) return null;
  const H = 140;
  const bw = Math.max(8, Math.min(28, Math.floor(340 / days.length)));
  const W = days.length * (bw + 4) + 40;
  const max = Math.max(1, ...days.map((d) => d.cumulative));
  const y = (v: number) => H - 20 - (v / max) * (H - 40);
  const line = days.map((d, i) => `${30 + i * (bw + 4) + bw / 2},${y(d.cumulative)}`).join(' ');
  const every = Math.ceil(days.length / 6);
  return (
    <Stack gap={4}>
      <Group gap="md">
        <Group gap={4}>
          <div style={{ width: 12, height: 12, background: '#fa5252' }} />
          <Text size="sm">{ct('clusters.newCases')}</Text>
        </Group>
        <Group gap={4}>
          <div style={{ width: 16, height: 0, borderTop: '2px solid #1c7ed6' }} />
          <Text size="sm">{ct('clusters.cumulative')}</Text>
        </Group>
      </Group>
      <div style={{ overflowX: 'auto' }}>
        <svg
          width={W}
          height={H}
          role="img"
          aria-label={ct('clusters.byDay')}
          data-testid="day-chart"
        >
          <line x1={28} x2={W} y1={H - 20} y2={H - 20} stroke="#ced4da" />
          <text x={0} y={y(max) + 4} fontSize={10} fill="#868e96">
            {max}
          </text>
          {days.map((d, i) => (
            <g key={d.date}>
              <rect
                x={30 + i * (bw + 4)}
                y={y(d.newCases)}
                width={bw}
                height={H - 20 - y(d.newCases)}
                fill="#fa5252"
              >
                <title>{`${formatDate(d.date)}: ${d.newCases} / ${d.cumulative}`}</title>
              </rect>
              {i % every === 0 && (
                <text x={30 + i * (bw + 4)} y={H - 5} fontSize={10} fill="#495057">
                  {formatDate(d.date).slice(0, 5)}
                </text>
              )}
            </g>
          ))}
          <polyline points={line} fill="none" stroke="#1c7ed6" strokeWidth={2} />
          {days.map((d, i) => (
            <circle
              key={d.date}
              cx={30 + i * (bw + 4) + bw / 2}
              cy={y(d.cumulative)}
              r={3}
              fill="#1c7ed6"
            />
          ))}
        </svg>
      </div>
    </Stack>
  );
}

export function ClusterDetailPage() {
  const { id = '' } = useParams();
  const ct = useCT();
  const cluster = useQuery({
    queryKey: ['clusters', 'one', id],
    queryFn: () => api<ClusterDetail>(`/api/v1/clusters/${encodeURIComponent(id)}`),
  });
  const graph = useQuery({
    queryKey: ['clusters', 'graph', id],
    queryFn: () => api<Graph>(`/api/v1/clusters/${encodeURIComponent(id)}/graph`),
    enabled: cluster.isSuccess,
  });
  if (cluster.isPending)
    return (
      <Center p="lg">
        <Loader />
      </Center>
    );
  if (cluster.error instanceof ApiError && [400, 404].includes(cluster.error.status))
    return <NotFoundPage />;
  if (cluster.isError) return <ErrorAlert error={cluster.error} />;
  const c = cluster.data;
  return (
    <Stack gap="md">
      <Anchor component={Link} to="/o-dich" size="sm">
        ← {ct('clusters.title')}
      </Anchor>
      <div>
        <Title order={2}>{c.name}</Title>
        <Text c="dimmed">{[c.place, c.communeName].filter(Boolean).join(' · ')}</Text>
        <Text size="sm">
          {ct('clusters.since', { date: formatDate(c.startDate) })} ·{' '}
          {c.active ? ct('clusters.active') : ct('clusters.ended', { date: formatDate(c.endDate) })}{' '}
          · {ct('clusters.cases', { count: c.caseCount })}
        </Text>
      </div>
      <Card withBorder padding="sm">
        <Title order={4} mb="xs">
          {ct('clusters.byDay')}
        </Title>
        <DayChart days={c.countsByDay} />
      </Card>
      <Stack gap="xs">
        <Title order={4}>{ct('clusters.caseList')}</Title>
        {c.cases.map((x) => (
          <Card key={x.id} withBorder padding="xs">
            <Group justify="space-between" wrap="nowrap">
              <div style={{ minWidth: 0 }}>
                <Anchor component={Link} to={`/ca-benh/${x.id}`} fw={700} size="sm">
                  {x.code}
                </Anchor>
                <Text size="sm">
                  {x.fullName} · {formatDate(x.positiveDate)}
                </Text>
              </div>
              <StatusBadge status={x.status} />
            </Group>
          </Card>
        ))}
      </Stack>
      {c.lockdowns.length > 0 && (
        <Stack gap="xs">
          <Title order={4}>{ct('clusters.lockdowns')}</Title>
          {c.lockdowns.map((l) => (
            <Text key={l.id} size="sm">
              {l.name} ·{' '}
              {l.endDate
                ? ct('lockdowns.periodTo', {
                    from: formatDate(l.startDate),
                    to: formatDate(l.endDate),
                  })
                : ct('lockdowns.period', { from: formatDate(l.startDate) })}
            </Text>
          ))}
        </Stack>
      )}
      <Stack gap="xs" data-testid="cluster-graph">
        <Title order={3}>{ct('graph.title')}</Title>
        {graph.isPending ? (
          <Loader size="sm" />
        ) : graph.isError ? (
          <ErrorAlert error={graph.error} />
        ) : (
          <ChainGraph graph={graph.data} />
        )}
      </Stack>
    </Stack>
  );
}
