/** The parts of the projections page: the needs table, the run-out alerts, the census charts. */
import { LineChart } from '@mantine/charts';
import { Alert, Button, Group, Paper, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { downloadPost } from './download.ts';
import { formatDate, formatNumber } from '../format.ts';
import { usePT, type PictureKey } from './t.ts';
import type { ChimeGroup, ScenarioResult } from './types.ts';

type Projection = NonNullable<ScenarioResult['projection']>;
const GROUPS: ChimeGroup[] = ['hospitalized', 'icu', 'ventilated'];
const whole = (n: number) => formatNumber(Math.floor(n)); // CHIME charts floor its figures

export function NeedsTable({ needs }: { needs: ScenarioResult['needs'] }) {
  const { pt, bi } = usePT();
  return (
    <Paper withBorder p="md">
      <Text fw={600} mb="xs">
        {pt('proj.needs')}
      </Text>
      <Table.ScrollContainer minWidth={300}>
        <Table striped data-testid="needs-table" horizontalSpacing={6}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{pt('proj.resource')}</Table.Th>
              <Table.Th ta="right">{pt('proj.need')}</Table.Th>
              <Table.Th ta="right">{pt('proj.have')}</Table.Th>
              <Table.Th ta="right">{pt('proj.shortfall')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {needs.map((n) => (
              <Table.Tr key={n.resource} data-resource={n.resource}>
                <Table.Td>
                  {pt(`proj.r.${n.resource}` as PictureKey)}
                  <Text size="xs" c="dimmed">
                    {bi(n.basis)}
                  </Text>
                </Table.Td>
                <Table.Td ta="right">{formatNumber(n.need)}</Table.Td>
                <Table.Td ta="right">
                  {n.have === null ? (
                    <Text size="sm" c="dimmed" title={pt('proj.notRecorded')}>
                      —
                    </Text>
                  ) : (
                    formatNumber(n.have)
                  )}
                </Table.Td>
                <Table.Td ta="right" data-shortfall={n.shortfall ?? ''}>
                  {n.shortfall === null ? (
                    '—'
                  ) : n.shortfall > 0 ? (
                    <Text size="sm" fw={700} c="red.7">
                      −{formatNumber(n.shortfall)}
                    </Text>
                  ) : (
                    <Text size="sm" c="green.8">
                      {pt('proj.enough')}
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Text size="xs" c="dimmed" mt={4}>
        — : {pt('proj.notRecorded')}
      </Text>
    </Paper>
  );
}

export function RunsOutList(props: {
  runsOut: Projection['runsOut'];
  days: number;
  reached: Projection['scenarioReached'];
  cases: number;
}) {
  const { pt } = usePT();
  return (
    <Stack gap="xs" data-testid="runs-out">
      {props.runsOut.map((o) => {
        const what = pt(`proj.g.${o.group}` as PictureKey);
        const peak = o.peak ? `${whole(o.peak.census)}, ${formatDate(o.peak.date)}` : '—';
        return o.date ? (
          <Alert key={o.group} color="red" variant="light" data-group={o.group} py="xs">
            {pt('proj.runsOut', {
              what,
              n: formatNumber(o.capacity),
              date: formatDate(o.date),
            })}
          </Alert>
        ) : (
          <Alert
            key={o.group}
            color={o.capacity === null ? 'gray' : 'green'}
            variant="light"
            data-group={o.group}
            py="xs"
          >
            {o.capacity === null
              ? pt('proj.noCapacity', { what, peak })
              : pt('proj.fits', { what, days: props.days, peak })}
          </Alert>
        );
      })}
      <Text size="sm">
        {props.reached
          ? pt('proj.reached', {
              n: formatNumber(props.cases),
              date: formatDate(props.reached.date),
            })
          : pt('proj.notReached', { n: formatNumber(props.cases), days: props.days })}
      </Text>
    </Stack>
  );
}

export function CensusCharts({ rows, runsOut }: Pick<Projection, 'rows' | 'runsOut'>) {
  const { pt } = usePT();
  const [asTable, setAsTable] = useState(false);
  const data = rows.map((r) => ({
    day: formatDate(r.date).slice(0, 5),
    date: r.date,
    hospitalized: Math.floor(r.census.hospitalized),
    icu: Math.floor(r.census.icu),
    ventilated: Math.floor(r.census.ventilated),
  }));
  const capacity = (g: ChimeGroup) => runsOut.find((o) => o.group === g)?.capacity ?? null;
  return (
    <Paper withBorder p="md">
      <Group justify="space-between" mb="sm">
        <Text fw={600}>{pt('proj.census')}</Text>
        <Button variant="subtle" h={44} onClick={() => setAsTable((v) => !v)}>
          {asTable ? pt('dash.asChart') : pt('dash.asTable')}
        </Button>
      </Group>
      {asTable ? (
        <Table.ScrollContainer minWidth={420} mah={400}>
          <Table striped data-testid="census-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{pt('dash.day')}</Table.Th>
                {GROUPS.map((g) => (
                  <Table.Th key={g} ta="right">
                    {pt(`proj.g.${g}` as PictureKey)}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.map((r) => (
                <Table.Tr key={r.date}>
                  <Table.Td>{formatDate(r.date)}</Table.Td>
                  {GROUPS.map((g) => {
                    const cap = capacity(g);
                    return (
                      <Table.Td
                        key={g}
                        ta="right"
                        c={cap !== null && r[g] > cap ? 'red.7' : undefined}
                      >
                        {formatNumber(r[g])}
                      </Table.Td>
                    );
                  })}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : (
        <SimpleGrid cols={{ base: 1, md: 3 }}>
          {GROUPS.map((g, i) => {
            const cap = capacity(g);
            return (
              <Stack key={g} gap={4} data-testid={`chart-${g}`}>
                <Text size="sm">{pt(`proj.g.${g}` as PictureKey)}</Text>
                <LineChart
                  h={220}
                  data={data}
                  dataKey="day"
                  series={[
                    {
                      name: g,
                      label: pt(`proj.g.${g}` as PictureKey),
                      color: ['blue.6', 'orange.6', 'grape.6'][i]!,
                    },
                  ]}
                  withDots={false}
                  yAxisProps={{
                    domain: [0, (max: number) => Math.ceil(Math.max(max, cap ?? 0) * 1.1)],
                  }}
                  referenceLines={
                    cap === null
                      ? []
                      : [
                          {
                            y: cap,
                            color: 'red.6',
                            label: pt('proj.capacityLine', { n: formatNumber(cap) }),
                          },
                        ]
                  }
                />
              </Stack>
            );
          })}
        </SimpleGrid>
      )}
    </Paper>
  );
}

/** Downloads the scenario as the server's XLSX workbook (a POST: the parameters are a body). */
export const downloadScenarioXlsx = (body: unknown) =>
  downloadPost('/api/v1/projections/scenario.xlsx', body, 'kich-ban.xlsx');
