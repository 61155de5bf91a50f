/**
 * /tinh-hinh — the picture of a province, district or commune: the epidemic curve by place of
 * detection (chart or table), F0 under treatment, arrivals from epidemic areas, the level and
 * coverage of the latest week, the levels of the units within, and capacity when known.
 */
import { BarChart } from '@mantine/charts';
import { Button, Group, Loader, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, qs } from '../api.ts';
import { useMe } from '../auth.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { formatDate, formatNumber } from '../format.ts';
import { LevelBadge, pct, UnitCodeForm } from './components.tsx';
import { ReportPanel } from './ReportPanel.tsx';
import { usePT, type PictureKey } from './t.ts';
import type { Dashboard } from './types.ts';

const FOUND_BY = ['community', 'quarantine', 'entry', 'imported', 'screening'] as const;
const COLOURS = ['red.6', 'orange.5', 'blue.6', 'grape.5', 'teal.6'];

export function DashboardPage() {
  const { pt } = usePT();
  const me = useMe();
  const mine = me.scope.communeCode ?? me.scope.districtCode ?? me.scope.provinceCode;
  const [unit, setUnit] = useState(mine);
  const [asTable, setAsTable] = useState(false);
  const q = useQuery({
    queryKey: ['dashboard', unit],
    queryFn: () => api<Dashboard>(`/api/v1/dashboard${qs({ unit, days: 30 })}`),
  });
  const d = q.data;
  const label = (f: string) => pt(`dash.foundBy.${f}` as PictureKey);
  const last7 = d?.arrivals.slice(-7) ?? [];
  return (
    <Stack>
      <Title order={2}>{pt('dash.title')}</Title>
      <UnitCodeForm initial={mine} onUnit={setUnit} />
      <ErrorAlert error={q.error} />
      {q.isLoading && <Loader size="sm" />}
      {d && (
        <Stack data-testid="dashboard">
          <Title order={3} size="h4">
            {d.unit.name} · {formatDate(d.date)}
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
            <Paper withBorder p="md">
              <Text size="sm" c="dimmed">
                {pt('dash.level')}
              </Text>
              {d.level ? (
                <>
                  <LevelBadge level={d.level.level} size="lg" />
                  <Text size="xs" c="dimmed" mt={4}>
                    {formatDate(d.level.weekEnd)} ·{' '}
                    {d.level.status === 'published' ? pt('levels.published') : pt('levels.draft')} ·{' '}
                    {formatNumber(d.level.rate)}/100.000
                  </Text>
                </>
              ) : (
                <Text>{pt('levels.none')}</Text>
              )}
            </Paper>
            <Paper withBorder p="md">
              <Text size="sm" c="dimmed">
                {pt('dash.treatment')}
              </Text>
              <Text fz={28} fw={700}>
                {formatNumber(d.treatment.reduce((s, x) => s + x.n, 0))}
              </Text>
              {d.treatment.map((x) => (
                <Text size="xs" key={`${x.status}${x.tier}`}>
                  {pt(`dash.status.${x.status}` as PictureKey)}
                  {x.tier ? ` (${pt('dash.tier', { tier: x.tier })})` : ''}: {formatNumber(x.n)}
                </Text>
              ))}
            </Paper>
            <Paper withBorder p="md">
              <Text size="sm" c="dimmed">
                {pt('dash.coverage')}
              </Text>
              <Text fz={28} fw={700}>
                {pct(d.coverage?.cov18OneDose)}
              </Text>
              <Text size="xs">
                {pt('levels.cov18')} · {pt('dash.elderly')}: {pct(d.coverage?.elderlyFull)}
              </Text>
            </Paper>
            <Paper withBorder p="md">
              <Text size="sm" c="dimmed">
                {pt('dash.arrivals')}
              </Text>
              <Text fz={28} fw={700}>
                {formatNumber(last7.reduce((s, x) => s + x.from_epidemic_area, 0))}
              </Text>
              <Text size="xs">
                {pt('dash.arrivalsAll')}: {formatNumber(last7.reduce((s, x) => s + x.people_in, 0))}
              </Text>
            </Paper>
          </SimpleGrid>
          <Paper withBorder p="md">
            <Group justify="space-between" mb="sm">
              <Text fw={600}>{pt('dash.curve')}</Text>
              <Button variant="subtle" size="compact-sm" onClick={() => setAsTable((v) => !v)}>
                {asTable ? pt('dash.asChart') : pt('dash.asTable')}
              </Button>
            </Group>
            {asTable ? (
              <Table.ScrollContainer minWidth={480} mah={360}>
                <Table striped data-testid="curve-table">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{pt('dash.day')}</Table.Th>
                      {FOUND_BY.map((f) => (
                        <Table.Th key={f} ta="right">
                          {label(f)}
                        </Table.Th>
                      ))}
                      <Table.Th ta="right">{pt('dash.total')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {d.curve.map((r) => (
                      <Table.Tr key={String(r.day)}>
                        <Table.Td>{formatDate(String(r.day))}</Table.Td>
                        {FOUND_BY.map((f) => (
                          <Table.Td key={f} ta="right">
                            {formatNumber(Number(r[f]))}
                          </Table.Td>
                        ))}
                        <Table.Td ta="right">{formatNumber(Number(r.total))}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            ) : (
              <BarChart
                h={260}
                data={d.curve.map((r) => ({ ...r, day: formatDate(String(r.day)).slice(0, 5) }))}
                dataKey="day"
                type="stacked"
                withLegend
                series={FOUND_BY.map((f, i) => ({ name: f, label: label(f), color: COLOURS[i]! }))}
              />
            )}
          </Paper>
          <Paper withBorder p="md">
            <Text fw={600}>{pt('dash.capacity')}</Text>
            {d.capacity ? (
              <Text size="sm">
                {formatNumber(d.capacity.beds.occupied)}/{formatNumber(d.capacity.beds.total)} · ICU{' '}
                {formatNumber(d.capacity.icuBeds.occupied)}/{formatNumber(d.capacity.icuBeds.total)}
              </Text>
            ) : (
              <Text size="sm" c="dimmed">
                {pt('dash.capacityNone')}
              </Text>
            )}
          </Paper>
          {d.subunits.length > 0 && (
            <Paper withBorder p="md">
              <Text fw={600} mb="xs">
                {pt('dash.subunits')}
              </Text>
              <Table.ScrollContainer minWidth={420}>
                <Table striped>
                  <Table.Tbody>
                    {d.subunits.map((s) => (
                      <Table.Tr key={s.code}>
                        <Table.Td>{s.name}</Table.Td>
                        <Table.Td>
                          <LevelBadge level={s.level} size="sm" />
                        </Table.Td>
                        <Table.Td ta="right">{formatNumber(s.cases7d)}</Table.Td>
                        <Table.Td ta="right">{pct(s.cov18OneDose)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </Paper>
          )}
          <Text size="xs" c="dimmed">
            {pt('dash.notAvailable')} {pt('levels.denominator')}
          </Text>
          {d.unit.level === 1 && me.permissions.includes('reports.steering') && (
            <ReportPanel unit={d.unit.code} date={d.date} />
          )}
        </Stack>
      )}
    </Stack>
  );
}
