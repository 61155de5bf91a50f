/** A team's week (issue 18 item 2): tasks done and overdue by kind, households visited. */
import { Card, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { formatDate } from '../format.ts';
import { useTT } from './t.ts';
import type { TeamReport } from './types.ts';

export function TeamReportCard({ teamId }: { teamId: string }) {
  const { t, bi } = useTT();
  const report = useQuery({
    queryKey: ['team-report', teamId],
    queryFn: () => api<TeamReport>(`/api/v1/teams/${teamId}/report`),
  });
  const r = report.data;
  return (
    <Card withBorder radius="md" p="sm" data-testid="team-report">
      {report.error && <ErrorAlert error={report.error} />}
      {r && (
        <>
          <Title order={4}>
            {t('report.title', { from: formatDate(r.week.from), to: formatDate(r.week.to) })}
          </Title>
          <Table mt="xs" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('report.kind')}</Table.Th>
                <Table.Th ta="right">{t('report.done')}</Table.Th>
                <Table.Th ta="right">{t('report.overdue')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {r.kinds.map((k) => (
                <Table.Tr key={k.kind}>
                  <Table.Td>{bi(k.label)}</Table.Td>
                  <Table.Td ta="right">{k.done}</Table.Td>
                  <Table.Td ta="right">{k.overdue}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Text mt="xs" fw={500}>
            {t('report.households', { count: r.householdsVisited })}
          </Text>
        </>
      )}
    </Card>
  );
}
