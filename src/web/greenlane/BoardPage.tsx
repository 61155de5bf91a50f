/** /cua-khau/bang — the gate board (a desktop screen): waiting, cleared today, average wait, trend, queue. */
import { BarChart } from '@mantine/charts';
import {
  Badge,
  Button,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, type Site } from '../api.ts';
import { useMe } from '../auth.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { formatDate, formatDateTime, formatNumber } from '../format.ts';
import { useGT, type GreenLaneKey } from './t.ts';
import type { Board } from './types.ts';

function Figure({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <Paper withBorder p="md">
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text fz={36} fw={700} data-testid={testId}>
        {value}
      </Text>
    </Paper>
  );
}

export function BoardPage() {
  const me = useMe();
  const { gt, bi } = useGT();
  const atGate = me.siteKind === 'border_gate';
  const gates = useQuery({
    queryKey: ['gl-gates'],
    queryFn: () => api<{ items: Site[] }>('/api/v1/sites?kind=border_gate'),
    enabled: !atGate,
  });
  const [picked, setPicked] = useState<string | null>(null);
  const gateId = atGate ? me.scope.siteId : (picked ?? gates.data?.items[0]?.id ?? null);
  const board = useQuery({
    queryKey: ['gl-board', gateId],
    queryFn: () => api<Board>(`/api/v1/gates/${gateId}/board`),
    enabled: !!gateId,
    refetchInterval: 15_000,
  });
  const b = board.data;
  const point = (p: string) => gt(`point.${p}` as GreenLaneKey);
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>
          {gt('board.title')}
          {b ? ` · ${b.gate.name}` : ''}
        </Title>
        {gateId && (
          <Button
            component="a"
            href={`/api/v1/gates/${gateId}/board.xlsx`}
            download
            variant="light"
            mih={44}
            data-testid="gl-board-xlsx"
          >
            {gt('board.xlsx')}
          </Button>
        )}
        {!atGate && (
          <Select
            aria-label={gt('board.gate')}
            data={(gates.data?.items ?? []).map((g) => ({ value: g.id, label: g.name }))}
            value={gateId}
            onChange={setPicked}
            allowDeselect={false}
            w={320}
          />
        )}
      </Group>
      {board.error && <ErrorAlert error={board.error} />}
      {b && (
        <>
          <SimpleGrid cols={{ base: 2, md: 4 }}>
            <Figure
              label={gt('board.waiting')}
              value={formatNumber(b.waiting)}
              testId="gl-waiting"
            />
            <Figure
              label={gt('board.arrived')}
              value={formatNumber(b.today.arrived)}
              testId="gl-arrived"
            />
            <Figure
              label={gt('board.cleared')}
              value={formatNumber(b.today.cleared)}
              testId="gl-cleared"
            />
            <Figure
              label={gt('board.avgWait')}
              value={
                b.today.averageWaitMinutes === null
                  ? '—'
                  : gt('board.minutes', { n: formatNumber(b.today.averageWaitMinutes) })
              }
              testId="gl-avg"
            />
          </SimpleGrid>
          {b.yards.length > 0 && (
            // item 4: each transit yard's occupancy against its capacity
            <Paper withBorder p="md" data-testid="gl-yards">
              <Text fw={600} mb="xs">
                {gt('board.yards')}
              </Text>
              {b.yards.map((y) => (
                <Group key={y.siteId} justify="space-between" wrap="nowrap">
                  <Text>{y.name}</Text>
                  <Group gap="xs" wrap="nowrap">
                    <Text fw={700}>
                      {y.capacity === null
                        ? gt('board.yardNoCapacity', { n: formatNumber(y.occupied) })
                        : gt('board.yardOccupancy', {
                            n: formatNumber(y.occupied),
                            capacity: formatNumber(y.capacity),
                          })}
                    </Text>
                    {y.full && <Badge color="red">{gt('board.yardFull')}</Badge>}
                  </Group>
                </Group>
              ))}
            </Paper>
          )}
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Paper withBorder p="md">
              <Text fw={600} mb="xs">
                {gt('board.queue')}
              </Text>
              <Table striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{gt('scan.plate')}</Table.Th>
                    <Table.Th>{gt('board.since')}</Table.Th>
                    <Table.Th>{gt('board.last')}</Table.Th>
                    <Table.Th>{gt('board.alert')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {b.queue.map((q) => (
                    <Table.Tr key={q.tripId}>
                      <Table.Td>{q.plate}</Table.Td>
                      <Table.Td>{formatDateTime(q.since)}</Table.Td>
                      <Table.Td>{point(q.lastPoint)}</Table.Td>
                      <Table.Td>
                        {q.alert ? (
                          <Text size="sm" c="red">
                            {bi(q.alert.reason)}
                          </Text>
                        ) : (
                          '—'
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              {!b.queue.length && (
                <Text c="dimmed" size="sm">
                  {gt('board.empty')}
                </Text>
              )}
            </Paper>
            <Paper withBorder p="md">
              <Text fw={600} mb="xs">
                {gt('board.recent')}
              </Text>
              <Table striped data-testid="gl-recent">
                <Table.Tbody>
                  {b.clearedRecent.map((c) => (
                    <Table.Tr key={c.passageId}>
                      <Table.Td>{c.plate}</Table.Td>
                      <Table.Td>{formatDateTime(c.at)}</Table.Td>
                      <Table.Td>
                        <Badge color={c.checkMode === 'permit' ? 'green' : 'orange'}>
                          {gt(c.checkMode === 'permit' ? 'board.modePermit' : 'board.modePerson')}
                        </Badge>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              {!b.clearedRecent.length && (
                <Text c="dimmed" size="sm">
                  {gt('board.empty')}
                </Text>
              )}
            </Paper>
          </SimpleGrid>
          <Paper withBorder p="md">
            <Text fw={600} mb="xs">
              {gt('board.trend')}
            </Text>
            <BarChart
              h={220}
              data={b.trend.map((d) => ({ ...d, day: formatDate(d.day).slice(0, 5) }))}
              dataKey="day"
              withLegend
              series={[
                { name: 'arrived', label: gt('board.seriesArrived'), color: 'orange.6' },
                { name: 'cleared', label: gt('board.seriesCleared'), color: 'teal.6' },
              ]}
            />
          </Paper>
        </>
      )}
    </Stack>
  );
}
