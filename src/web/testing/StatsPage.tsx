/**
 * /xet-nghiem/so-lieu — figures of the user's area: tests per day by type, site and commune,
 * positivity, turnaround (sample → result), specimens pending by lab; the same as XLSX.
 */
import {
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
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { addDays, dateOfInstant } from '../../domain/dates.ts';
import { api, qs } from '../api.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { formatDate, formatDateTime, formatNumber } from '../format.ts';
import { Empty, formatRatio, Loading, useTestTypeName } from './components.tsx';
import { useTT } from './t.ts';
import type { StatRow, TestStats } from './types.ts';

type By = 'day' | 'type' | 'site' | 'commune';

interface Group {
  key: string;
  label: string;
  tests: number;
  positives: number;
  hours: number;
}

function group(rows: StatRow[], by: By, label: (r: StatRow) => string): Group[] {
  const m = new Map<string, Group>();
  for (const r of rows) {
    const key =
      by === 'day'
        ? r.day
        : by === 'type'
          ? r.testType
          : by === 'site'
            ? (r.siteId ?? '')
            : r.communeCode;
    const g = m.get(key) ?? { key, label: label(r), tests: 0, positives: 0, hours: 0 };
    g.tests += r.tests;
    g.positives += r.positives;
    g.hours += (r.turnaroundHours ?? 0) * r.tests;
    m.set(key, g);
  }
  const out = [...m.values()];
  return by === 'day'
    ? out.sort((a, b) => b.key.localeCompare(a.key))
    : out.sort((a, b) => b.tests - a.tests);
}

export function StatsPage() {
  const tt = useTT();
  const typeName = useTestTypeName();
  const [days, setDays] = useState('14');
  const [by, setBy] = useState<By>('day');
  const [to] = useState(() => dateOfInstant(Date.now()));
  const from = addDays(to, -(Number(days) - 1));
  const q = useQuery({
    queryKey: ['test-stats', from, to],
    queryFn: () => api<TestStats>(`/api/v1/test-stats${qs({ from, to })}`),
  });
  const groups = useMemo(
    () =>
      group(q.data?.rows ?? [], by, (r) =>
        by === 'day'
          ? formatDate(r.day)
          : by === 'type'
            ? typeName(r.testType)
            : by === 'site'
              ? (r.siteName ?? tt('stats.noSite'))
              : r.communeName,
      ),
    [q.data, by, typeName, tt],
  );
  const max = Math.max(1, ...groups.map((g) => g.tests));
  const f = q.data;
  const card = (label: string, value: string, testid: string) => (
    <Paper withBorder p="xs" radius="sm" data-testid={testid}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} fz="xl">
        {value}
      </Text>
    </Paper>
  );
  return (
    <Stack>
      <div>
        <Title order={2}>{tt('stats.title')}</Title>
        <Text c="dimmed" size="sm">
          {tt('stats.range', { from: formatDate(from), to: formatDate(to) })}
        </Text>
      </div>
      <Group justify="space-between" gap="xs">
        <SegmentedControl
          value={days}
          onChange={setDays}
          data={['7', '14', '30', '90'].map((d) => ({
            value: d,
            label: tt('stats.days', { n: d }),
          }))}
        />
        <Button
          component="a"
          href={`/api/v1/test-stats.xlsx${qs({ from, to })}`}
          download
          variant="light"
        >
          {tt('stats.export')}
        </Button>
      </Group>
      {q.isLoading ? (
        <Loading />
      ) : !f ? (
        <ErrorAlert error={q.error} />
      ) : (
        <>
          <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xs">
            {card(tt('stats.tests'), formatNumber(f.totals.tests), 'stat-tests')}
            {card(tt('stats.positives'), formatNumber(f.totals.positives), 'stat-positives')}
            {card(tt('stats.positivity'), formatRatio(f.totals.positivity), 'stat-positivity')}
            {card(
              tt('stats.turnaround'),
              f.totals.turnaroundHours === null
                ? '—'
                : tt('stats.hours', { n: formatNumber(f.totals.turnaroundHours) }),
              'stat-turnaround',
            )}
          </SimpleGrid>
          <Text size="sm" fw={500} mb={-8}>
            {tt('stats.groupBy')}
          </Text>
          <SegmentedControl
            fullWidth
            value={by}
            onChange={(v) => setBy(v as By)}
            data={[
              { value: 'day', label: tt('stats.byDay') },
              { value: 'type', label: tt('stats.byType') },
              { value: 'site', label: tt('stats.bySite') },
              { value: 'commune', label: tt('stats.byCommune') },
            ]}
          />
          {groups.length === 0 ? (
            <Empty>{tt('stats.empty')}</Empty>
          ) : (
            <Stack gap={6} data-testid="stats-groups">
              {groups.map((g) => (
                <Paper key={g.key} withBorder p="xs" radius="sm">
                  <Group justify="space-between" wrap="nowrap">
                    <Text size="sm" fw={600} truncate="end">
                      {g.label}
                    </Text>
                    <Text size="sm" style={{ flexShrink: 0 }}>
                      {tt('stats.groupLine', {
                        tests: formatNumber(g.tests),
                        positives: formatNumber(g.positives),
                        ratio: formatRatio(g.tests ? g.positives / g.tests : null),
                      })}
                    </Text>
                  </Group>
                  <Progress.Root size="sm" mt={4}>
                    <Progress.Section value={((g.tests - g.positives) / max) * 100} color="teal" />
                    <Progress.Section value={(g.positives / max) * 100} color="red" />
                  </Progress.Root>
                  {g.tests > 0 && (
                    <Text size="xs" c="dimmed" mt={2}>
                      {tt('stats.turnaroundLine', {
                        n: formatNumber(Math.round((g.hours / g.tests) * 10) / 10),
                      })}
                    </Text>
                  )}
                </Paper>
              ))}
            </Stack>
          )}
          <Title order={3} size="h4">
            {tt('stats.pendingByLab')}
          </Title>
          {f.pendingByLab.length === 0 ? (
            <Empty>{tt('stats.noPending')}</Empty>
          ) : (
            <Stack gap={6}>
              {f.pendingByLab.map((l) => (
                <Paper key={l.labSiteId} withBorder p="xs" radius="sm">
                  <Group justify="space-between" wrap="nowrap">
                    <Text size="sm" fw={600} truncate="end">
                      {l.name}
                    </Text>
                    <Text size="sm" style={{ flexShrink: 0 }}>
                      {tt('stats.pending', { n: formatNumber(l.pending) })}
                    </Text>
                  </Group>
                  {l.oldestSampledAt && (
                    <Text size="xs" c="dimmed">
                      {tt('stats.oldest', { at: formatDateTime(l.oldestSampledAt) })}
                    </Text>
                  )}
                </Paper>
              ))}
            </Stack>
          )}
        </>
      )}
    </Stack>
  );
}
