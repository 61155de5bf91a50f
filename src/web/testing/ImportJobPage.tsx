/**
 * /xet-nghiem/nhap-tep/:id — one upload: progress while the background job runs, the counts,
 * the row-by-row report (filterable: accepted, duplicate, rejected and why) and the F0 decision
 * each positive took.
 */
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  Progress,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router';
import { api, qs } from '../api.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { formatDateTime, formatNumber } from '../format.ts';
import {
  Empty,
  F0Decision,
  LoadMore,
  Loading,
  ResultBadge,
  useTestTypeName,
} from './components.tsx';
import { IMPORT_STATUS_COLOR } from './ImportPage.tsx';
import { downloadRejected, rowMessage } from './rejectedRows.ts';
import { codeLabel, useTT } from './t.ts';
import type { ImportDetail, Page, RowStatus, TestResult } from './types.ts';

const ROW_COLOR: Record<RowStatus, string> = {
  accepted: 'teal',
  duplicate: 'gray',
  rejected: 'red',
};
const PAGE = 200;

export function ImportJobPage() {
  const tt = useTT();
  const { id } = useParams();
  const location = useLocation();
  const replay = (location.state as { replay?: boolean } | null)?.replay;
  const [filter, setFilter] = useState<'all' | RowStatus>('all');
  const typeName = useTestTypeName();
  const { i18n } = useTranslation();
  const [downloading, setDownloading] = useState(false);

  const job = useQuery({
    queryKey: ['result-import', id],
    queryFn: () => api<ImportDetail>(`/api/v1/result-imports/${id}?limit=1`),
    refetchInterval: (q) => {
      const s = q.state.data?.status;
      return s === 'queued' || s === 'running' ? 800 : false;
    },
  });
  const j = job.data;
  const finished = j?.status === 'done' || j?.status === 'failed';
  const queryClient = useQueryClient();
  // The list of past uploads shows this job's counts: refresh it once the job is over.
  useEffect(() => {
    if (finished) void queryClient.invalidateQueries({ queryKey: ['result-imports'] });
  }, [finished, queryClient]);

  const rows = useInfiniteQuery({
    queryKey: ['result-import-rows', id, filter, j?.progress.processedRows ?? 0, j?.status],
    queryFn: ({ pageParam }) =>
      api<ImportDetail>(
        `/api/v1/result-imports/${id}${qs({
          afterRow: pageParam,
          limit: PAGE,
          status: filter === 'all' ? undefined : filter,
        })}`,
      ),
    initialPageParam: 0,
    getNextPageParam: (last) => last.nextAfterRow ?? undefined,
    enabled: !!j,
    placeholderData: (prev) => prev,
  });
  const positives = useQuery({
    queryKey: ['import-positives', id, j?.counts.positives],
    queryFn: () =>
      api<Page<TestResult>>(
        `/api/v1/results${qs({ importId: id, result: 'positive', limit: 100 })}`,
      ),
    enabled: !!j && j.counts.positives > 0,
  });

  if (job.isLoading) return <Loading />;
  if (!j) return <ErrorAlert error={job.error} />;

  const ratio = j.progress.ratio;
  const lines = rows.data?.pages.flatMap((p) => p.rows) ?? [];
  const count = (label: string, value: number, color?: string, testid?: string) => (
    <Paper withBorder p="xs" radius="sm" data-testid={testid}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} fz="xl" c={color}>
        {formatNumber(value)}
      </Text>
    </Paper>
  );

  return (
    <Stack>
      <Anchor component={Link} to="/xet-nghiem/nhap-tep" size="sm">
        {tt('imports.back')}
      </Anchor>
      <div>
        <Title order={2} style={{ overflowWrap: 'anywhere' }}>
          {j.fileName}
        </Title>
        <Group gap="xs">
          <Badge color={IMPORT_STATUS_COLOR[j.status]} variant="light" data-testid="import-status">
            {codeLabel(tt, 'importStatus', j.status)}
          </Badge>
          <Text size="sm" c="dimmed">
            {tt('imports.uploadedAt', { at: formatDateTime(j.createdAt) })}
          </Text>
        </Group>
      </div>
      {replay && (
        <Alert color="blue" variant="light">
          {tt('imports.replay')}
        </Alert>
      )}
      {j.status === 'failed' && (
        <Alert color="red" variant="light" title={tt('imports.failed')}>
          {j.error}
        </Alert>
      )}

      <Stack gap={4}>
        <Progress
          value={ratio === null ? 100 : ratio * 100}
          striped={!finished}
          animated={!finished}
          color={j.status === 'failed' ? 'red' : 'teal'}
          size="lg"
          aria-label={tt('imports.progress')}
        />
        <Text size="sm" data-testid="import-progress">
          {j.progress.totalRows !== null
            ? tt('imports.progressOf', {
                done: formatNumber(j.progress.processedRows),
                total: formatNumber(j.progress.totalRows),
              })
            : tt('imports.progressRows', { done: formatNumber(j.progress.processedRows) })}
        </Text>
      </Stack>

      <SimpleGrid cols={{ base: 2, sm: 3, md: 6 }} spacing="xs" data-testid="import-counts">
        {count(tt('imports.accepted'), j.counts.accepted, 'teal.8', 'count-accepted')}
        {count(tt('imports.matched'), j.counts.matched, undefined, 'count-matched')}
        {count(tt('imports.created'), j.counts.createdPersons, undefined, 'count-created')}
        {count(tt('imports.duplicates'), j.counts.duplicates, undefined, 'count-duplicates')}
        {count(tt('imports.rejected'), j.counts.rejected, 'red.8', 'count-rejected')}
        {count(tt('imports.positives'), j.counts.positives, 'red.8', 'count-positives')}
      </SimpleGrid>

      {j.counts.positives > 0 && (
        <Stack gap="xs" data-testid="import-positives">
          <Title order={3} size="h4">
            {tt('imports.positivesTitle')}
          </Title>
          {(positives.data?.items ?? []).map((r) => (
            <Paper key={r.id} withBorder p="xs" radius="sm">
              <Stack gap={6}>
                <Group justify="space-between" wrap="nowrap">
                  <Text fw={600}>
                    {r.person?.fullName} · {r.person?.birthYear}
                  </Text>
                  <ResultBadge result={r.result} />
                </Group>
                <Text size="xs" c="dimmed">
                  {typeName(r.testType)} ·{' '}
                  {tt('results.sampledAt', { at: formatDateTime(r.sampledAt) })}
                </Text>
                <F0Decision f0={r.f0} />
              </Stack>
            </Paper>
          ))}
        </Stack>
      )}

      <Stack gap="xs">
        <Title order={3} size="h4">
          {tt('imports.report')}
        </Title>
        {finished && j.counts.rejected > 0 && (
          <Button
            variant="light"
            color="red"
            loading={downloading}
            data-testid="download-rejected"
            onClick={() => {
              setDownloading(true);
              void downloadRejected(j.id, j.fileName, i18n.language, {
                sheet: tt('imports.rejectedSheet'),
                row: tt('imports.colRow'),
                name: codeLabel(tt, 'field', 'fullName'),
                reason: tt('imports.colReason'),
              }).finally(() => setDownloading(false));
            }}
          >
            {tt('imports.downloadRejected')}
          </Button>
        )}
        <SegmentedControl
          fullWidth
          value={filter}
          onChange={(v) => setFilter(v as typeof filter)}
          data={[
            { value: 'all', label: tt('imports.filterAll') },
            { value: 'accepted', label: codeLabel(tt, 'rowStatus', 'accepted') },
            { value: 'duplicate', label: codeLabel(tt, 'rowStatus', 'duplicate') },
            { value: 'rejected', label: codeLabel(tt, 'rowStatus', 'rejected') },
          ]}
          data-testid="row-filter"
        />
        {rows.isLoading ? (
          <Loading />
        ) : lines.length === 0 ? (
          <Empty>{finished ? tt('imports.noRows') : tt('imports.waiting')}</Empty>
        ) : (
          <Stack gap={6} data-testid="import-rows">
            {lines.map((l) => (
              <Paper key={l.row} withBorder p="xs" radius="sm" data-testid="import-row">
                <Group justify="space-between" wrap="nowrap" align="flex-start">
                  <Stack gap={2} miw={0}>
                    <Text size="sm" fw={600}>
                      {tt('imports.row', { row: l.row })} · {l.fullName ?? '—'}
                    </Text>
                    {l.matchedBy && (
                      <Text size="xs" c="dimmed">
                        {codeLabel(tt, 'matchedBy', l.matchedBy)}
                      </Text>
                    )}
                    {l.message && (
                      <Text size="xs" c={l.status === 'rejected' ? 'red.8' : 'dimmed'}>
                        {rowMessage(l, i18n.language)}
                      </Text>
                    )}
                  </Stack>
                  <Badge color={ROW_COLOR[l.status]} variant="light" style={{ flexShrink: 0 }}>
                    {codeLabel(tt, 'rowStatus', l.status)}
                  </Badge>
                </Group>
              </Paper>
            ))}
            <LoadMore
              hasMore={!!rows.hasNextPage}
              loading={rows.isFetchingNextPage}
              onMore={() => void rows.fetchNextPage()}
            />
          </Stack>
        )}
      </Stack>
    </Stack>
  );
}
