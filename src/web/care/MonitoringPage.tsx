/**
 * The commune's F0-at-home page on a phone: who is due a reading, and a reading form that works
 * offline (each reading queued on the device with its clientId and sent exactly once).
 */
import { CallButton } from '../components/CallButton.tsx';
import {
  Badge,
  Button,
  Card,
  Chip,
  Group,
  NumberInput,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api.ts';
import { useMe } from '../auth.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { OutboxPanel } from '../entry/OutboxPanel.tsx';
import { useOfflineSupport, useOnline } from '../entry/offline.ts';
import { outbox, useOnSent, useOutbox, type SentEvent } from '../entry/outbox.ts';
import { formatDateTime } from '../format.ts';
import { useKT } from './t.ts';

export const CARE_SYMPTOMS = [
  'fever',
  'cough',
  'sore_throat',
  'tiredness',
  'loss_of_taste',
  'shortness_of_breath',
  'chest_pain',
  'altered_consciousness',
  'cyanosis',
  'not_feeding',
] as const;
const MEASURES = [
  'spo2',
  'respiratoryRate',
  'pulse',
  'temperature',
  'systolic',
  'diastolic',
] as const;
type Measure = (typeof MEASURES)[number];

export interface Treatment {
  id: string;
  caseId: string;
  person: { id: string; fullName: string; birthYear: number; phone: string | null };
  tier: string;
  ageYears: number;
  nextReadingDue: string | null;
  lastReadingAt: string | null;
  overdue: boolean;
  openAlerts: number;
}

export function ReadingForm({
  t,
  onDone,
}: {
  t: Pick<Treatment, 'caseId' | 'person'>; // also the community team's task list (issue 18)
  onDone: () => void;
}) {
  const { kt } = useKT();
  const [values, setValues] = useState<Partial<Record<Measure, number>>>({});
  const [symptoms, setSymptoms] = useState<string[]>([]);
  const save = async () => {
    const clientId = crypto.randomUUID();
    const body: Record<string, unknown> = { clientId, at: new Date().toISOString(), symptoms };
    for (const m of MEASURES) if (values[m] !== undefined) body[m] = values[m];
    await outbox.add({
      clientId,
      kind: 'care-reading',
      url: `/api/v1/cases/${t.caseId}/monitoring`,
      body,
      label: `${t.person.fullName} · SpO2 ${values.spo2 ?? '—'}`,
    });
    notifications.show({
      color: navigator.onLine ? 'teal' : 'yellow',
      message: kt(navigator.onLine ? 'monitoring.saved' : 'monitoring.savedOffline'),
    });
    onDone();
  };
  return (
    <Stack gap="xs" data-testid="reading-form">
      <SimpleGrid cols={2} spacing="xs">
        {MEASURES.map((m) => (
          <NumberInput
            key={m}
            label={kt(`monitoring.${m}`)}
            size="md"
            inputMode="decimal"
            decimalScale={m === 'temperature' ? 1 : 0}
            value={values[m] ?? ''}
            onChange={(v) =>
              setValues((s) => ({ ...s, [m]: typeof v === 'number' ? v : undefined }))
            }
          />
        ))}
      </SimpleGrid>
      <Text size="sm" fw={500}>
        {kt('monitoring.symptoms')}
      </Text>
      <Chip.Group multiple value={symptoms} onChange={setSymptoms}>
        <Group gap={6}>
          {CARE_SYMPTOMS.map((s) => (
            <Chip key={s} value={s} size="md">
              {kt(`symptom.${s}`)}
            </Chip>
          ))}
        </Group>
      </Chip.Group>
      <Button size="md" onClick={() => void save()}>
        {kt('monitoring.save')}
      </Button>
    </Stack>
  );
}

export function MonitoringPage() {
  const { kt } = useKT();
  const me = useMe();
  useOfflineSupport();
  const box = useOutbox(me.id);
  const online = useOnline();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState<string | null>(null);
  const list = useQuery({
    queryKey: ['treatments'],
    queryFn: () => api<{ items: Treatment[] }>('/api/v1/treatments?limit=100'),
  });
  const onSent = useCallback(
    (e: SentEvent) => {
      if (e.item.kind === 'care-reading')
        void queryClient.invalidateQueries({ queryKey: ['treatments'] });
    },
    [queryClient],
  );
  useOnSent(onSent);
  const readings = box.items.filter((i) => i.kind === 'care-reading');
  return (
    <Stack maw={720}>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>{kt('monitoring.title')}</Title>
          <Text size="sm" c="dimmed">
            {me.scopeLabel}
          </Text>
        </div>
        <Badge color={online ? 'teal' : 'gray'} variant="dot" tt="none">
          {kt(online ? 'monitoring.online' : 'monitoring.offline')}
        </Badge>
      </Group>
      <OutboxPanel
        items={readings}
        needsLogin={box.needsLogin}
        syncing={box.syncing}
        title={kt('monitoring.outbox')}
      />
      {list.error && <ErrorAlert error={list.error} />}
      {list.data?.items.length === 0 && <Text c="dimmed">{kt('monitoring.empty')}</Text>}
      {list.data?.items.map((t) => (
        <Card key={t.id} withBorder radius="md" p="sm" data-testid="treatment">
          <Group justify="space-between" wrap="nowrap" align="flex-start">
            <div>
              <Text fw={600}>{t.person.fullName}</Text>
              <Text size="sm" c="dimmed">
                {kt('alerts.age', { age: t.ageYears })} · {kt(`tier.${t.tier}`)}
              </Text>
              <CallButton personId={t.person.id} masked={t.person.phone ?? null} />
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
          <Button
            component={Link}
            to={`/theo-doi-f0/${t.id}`}
            mt="sm"
            size="md"
            variant="default"
            fullWidth
          >
            {kt('treatment.chart')}
          </Button>
          {open === t.id ? (
            <Stack mt="sm">
              <ReadingForm t={t} onDone={() => setOpen(null)} />
            </Stack>
          ) : (
            <Button mt="sm" size="md" variant="light" fullWidth onClick={() => setOpen(t.id)}>
              {kt('monitoring.record')}
            </Button>
          )}
        </Card>
      ))}
    </Stack>
  );
}
