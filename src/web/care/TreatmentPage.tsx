/**
 * /theo-doi-f0/:id — one patient under care: the monitoring chart (SpO2, respiratory rate,
 * pulse) over the last readings, the reading table, and the reading form (queued offline like
 * the F0 list). The commune, the district and the manager of the facility where the patient is.
 */
import { LineChart } from '@mantine/charts';
import '@mantine/charts/styles.css';
import { Anchor, Badge, Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../api.ts';
import { useMe } from '../auth.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { OutboxPanel } from '../entry/OutboxPanel.tsx';
import { useOfflineSupport } from '../entry/offline.ts';
import { useOnSent, useOutbox, type SentEvent } from '../entry/outbox.ts';
import { formatDateTime } from '../format.ts';
import { ReadingForm, type Treatment } from './MonitoringPage.tsx';
import { useKT } from './t.ts';

interface Reading {
  id: string;
  at: string;
  spo2: number | null;
  respiratoryRate: number | null;
  pulse: number | null;
  temperature: number | null;
  systolic: number | null;
  diastolic: number | null;
  symptoms: string[];
  signs: { id: string }[];
}
interface TreatmentDetail extends Treatment {
  explanation: { vi: string; en: string };
  readings: Reading[];
}

const dash = (v: number | null) => (v === null ? '—' : String(v));

export function TreatmentPage() {
  const { id = '' } = useParams();
  const { kt, bi } = useKT();
  const me = useMe();
  useOfflineSupport();
  const box = useOutbox(me.id);
  const qc = useQueryClient();
  const [recording, setRecording] = useState(false);
  const detail = useQuery({
    queryKey: ['treatments', id],
    queryFn: () => api<TreatmentDetail>(`/api/v1/treatments/${id}`),
  });
  const onSent = useCallback(
    (e: SentEvent) => {
      if (e.item.kind === 'care-reading')
        void qc.invalidateQueries({ queryKey: ['treatments', id] });
    },
    [qc, id],
  );
  useOnSent(onSent);
  const mayWrite = me.permissions.includes('care.write');
  const t = detail.data;
  const data = (t?.readings ?? []).map((r) => ({
    // "hh:mm dd/mm": two readings a day, so the time first
    at: `${formatDateTime(r.at).slice(11, 16)} ${formatDateTime(r.at).slice(0, 5)}`,
    spo2: r.spo2,
    respiratoryRate: r.respiratoryRate,
    pulse: r.pulse,
  }));
  return (
    <Stack maw={720}>
      <Anchor component={Link} to="/theo-doi-f0" size="sm">
        ← {kt('treatment.back')}
      </Anchor>
      <Title order={2}>{kt('treatment.title')}</Title>
      {detail.error && <ErrorAlert error={detail.error} />}
      {t && (
        <>
          <Card withBorder radius="md" p="sm" data-testid="treatment-detail">
            <Group justify="space-between" wrap="nowrap" align="flex-start">
              <div>
                <Text fw={600}>{t.person.fullName}</Text>
                <Text size="sm" c="dimmed">
                  {kt('alerts.age', { age: t.ageYears })} · {kt(`tier.${t.tier}`)}
                </Text>
                <Text size="sm">
                  {kt('monitoring.due')}: {formatDateTime(t.nextReadingDue)}
                </Text>
              </div>
              <Stack gap={4} align="flex-end">
                {t.overdue && <Badge color="orange">{kt('monitoring.overdue')}</Badge>}
                {t.openAlerts > 0 && (
                  <Badge color="red" tt="none">
                    {kt('monitoring.alerts', { count: t.openAlerts })}
                  </Badge>
                )}
              </Stack>
            </Group>
            <Text size="sm" mt={6}>
              {bi(t.explanation)}
            </Text>
          </Card>
          <OutboxPanel
            items={box.items.filter((i) => i.kind === 'care-reading')}
            needsLogin={box.needsLogin}
            syncing={box.syncing}
            title={kt('monitoring.outbox')}
          />
          {mayWrite &&
            (recording ? (
              <Card withBorder radius="md" p="sm">
                <ReadingForm t={t} onDone={() => setRecording(false)} />
              </Card>
            ) : (
              <Button size="md" variant="light" onClick={() => setRecording(true)}>
                {kt('monitoring.record')}
              </Button>
            ))}
          <Title order={4}>{kt('treatment.readings')}</Title>
          {t.readings.length === 0 ? (
            <Text c="dimmed">{kt('treatment.noReadings')}</Text>
          ) : (
            <>
              <LineChart
                h={220}
                data={data}
                dataKey="at"
                connectNulls
                data-testid="monitoring-chart"
                series={[
                  { name: 'spo2', label: kt('monitoring.spo2'), color: 'blue.6' },
                  {
                    name: 'respiratoryRate',
                    label: kt('monitoring.respiratoryRate'),
                    color: 'orange.6',
                  },
                  { name: 'pulse', label: kt('monitoring.pulse'), color: 'grape.6' },
                ]}
                withLegend
                legendProps={{ verticalAlign: 'bottom' }}
              />
              <Table.ScrollContainer minWidth={420}>
                <Table striped fz="sm">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{kt('treatment.at')}</Table.Th>
                      <Table.Th>SpO2</Table.Th>
                      <Table.Th>{kt('monitoring.respiratoryRate')}</Table.Th>
                      <Table.Th>{kt('monitoring.pulse')}</Table.Th>
                      <Table.Th>°C</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {[...t.readings].reverse().map((r) => (
                      <Table.Tr key={r.id} c={r.signs.length ? 'red.8' : undefined}>
                        <Table.Td>{formatDateTime(r.at)}</Table.Td>
                        <Table.Td>{dash(r.spo2)}</Table.Td>
                        <Table.Td>{dash(r.respiratoryRate)}</Table.Td>
                        <Table.Td>{dash(r.pulse)}</Table.Td>
                        <Table.Td>{dash(r.temperature)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </>
          )}
        </>
      )}
    </Stack>
  );
}
