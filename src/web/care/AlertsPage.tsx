/**
 * Alerts of the commune or district, newest first, with what crossed which threshold; the
 * district moves the patient up a tier (a bed reserved) or closes the alert with a reason.
 */
import {
  Badge,
  Button,
  Card,
  Group,
  Modal,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api.ts';
import { useMe } from '../auth.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { formatDateTime } from '../format.ts';
import { useKT } from './t.ts';

interface Alert {
  id: string;
  kind: string;
  person: { fullName: string; birthYear: number; phone: string | null };
  ageYears: number | null;
  tier: string | null;
  treatmentId: string | null;
  explanation: { vi: string; en: string };
  openedAt: string;
}
interface Facility {
  id: string;
  name: string;
  kind: string;
  beds: { free: number };
  oxygenBeds: { total: number; occupied: number };
  icu: { total: number; occupied: number };
}

function TransferModal({ alert, onClose }: { alert: Alert; onClose: () => void }) {
  const { kt } = useKT();
  const qc = useQueryClient();
  const [tier, setTier] = useState<string | null>('tier2');
  const [facilityId, setFacilityId] = useState<string | null>(null);
  const [bedKind, setBedKind] = useState<string | null>('oxygen');
  const facilities = useQuery({
    queryKey: ['facilities'],
    queryFn: () => api<{ items: Facility[] }>('/api/v1/facilities?limit=200'),
  });
  const move = useMutation({
    mutationFn: () =>
      api(`/api/v1/alerts/${alert.id}/transfer`, {
        method: 'POST',
        body: { clientId: crypto.randomUUID(), tier, facilityId, bedKind },
      }),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: kt('alerts.transferred') });
      void qc.invalidateQueries({ queryKey: ['alerts'] });
      onClose();
    },
  });
  return (
    <Modal
      opened
      onClose={onClose}
      title={`${kt('alerts.transfer')}: ${alert.person.fullName}`}
      fullScreen={window.innerWidth < 600}
    >
      <Stack>
        <Select
          label={kt('alerts.tier')}
          size="md"
          value={tier}
          onChange={setTier}
          data={['tier1', 'tier2', 'tier3'].map((v) => ({ value: v, label: kt(`tier.${v}`) }))}
        />
        <Select
          label={kt('alerts.facility')}
          size="md"
          value={facilityId}
          onChange={setFacilityId}
          data={(facilities.data?.items ?? []).map((f) => ({
            value: f.id,
            label: kt('alerts.facilityOption', {
              name: f.name,
              oxygen: f.oxygenBeds.total - f.oxygenBeds.occupied,
              icu: f.icu.total - f.icu.occupied,
            }),
          }))}
        />
        <Select
          label={kt('alerts.bedKind')}
          size="md"
          value={bedKind}
          onChange={setBedKind}
          data={['ordinary', 'oxygen', 'icu'].map((v) => ({ value: v, label: kt(`bed.${v}`) }))}
        />
        {move.error && <ErrorAlert error={move.error} />}
        <Button
          size="md"
          disabled={!facilityId || !tier}
          loading={move.isPending}
          onClick={() => move.mutate()}
        >
          {kt('alerts.confirm')}
        </Button>
      </Stack>
    </Modal>
  );
}

function CloseModal({ alert, onClose }: { alert: Alert; onClose: () => void }) {
  const { kt } = useKT();
  const qc = useQueryClient();
  const [reason, setReason] = useState('');
  const close = useMutation({
    mutationFn: (resolution: 'closed' | 'no_bed') =>
      api(`/api/v1/alerts/${alert.id}/close`, { method: 'POST', body: { resolution, reason } }),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: kt('alerts.closed') });
      void qc.invalidateQueries({ queryKey: ['alerts'] });
      onClose();
    },
  });
  return (
    <Modal opened onClose={onClose} title={kt('alerts.close')}>
      <Stack>
        <TextInput
          label={kt('alerts.reason')}
          size="md"
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
        />
        {close.error && <ErrorAlert error={close.error} />}
        <Group grow>
          <Button size="md" variant="light" color="orange" onClick={() => close.mutate('no_bed')}>
            {kt('alerts.noBed')}
          </Button>
          <Button size="md" onClick={() => close.mutate('closed')}>
            {kt('alerts.close')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

export function AlertsPage() {
  const { kt, bi } = useKT();
  const me = useMe();
  const [moving, setMoving] = useState<Alert | null>(null);
  const [closing, setClosing] = useState<Alert | null>(null);
  const list = useQuery({
    queryKey: ['alerts'],
    queryFn: () => api<{ items: Alert[] }>('/api/v1/alerts?limit=100'),
    refetchInterval: 30_000,
  });
  const mayAct = me.permissions.includes('alerts.write');
  return (
    <Stack maw={720}>
      <div>
        <Title order={2}>{kt('alerts.title')}</Title>
        <Text size="sm" c="dimmed">
          {me.scopeLabel}
        </Text>
      </div>
      {list.error && <ErrorAlert error={list.error} />}
      {list.data?.items.length === 0 && <Text c="dimmed">{kt('alerts.empty')}</Text>}
      {list.data?.items.map((a) => (
        <Card key={a.id} withBorder radius="md" p="sm" data-testid="alert">
          <Badge color={a.kind === 'missed_monitoring' ? 'orange' : 'red'} tt="none" mb={4}>
            {kt(`alerts.kind_${a.kind}`)}
          </Badge>
          <Text fw={600}>{a.person.fullName}</Text>
          <Text size="sm" c="dimmed">
            {a.ageYears !== null ? kt('alerts.age', { age: a.ageYears }) : ''}
            {a.tier ? ` · ${kt(`tier.${a.tier}`)}` : ''} · {formatDateTime(a.openedAt)}
          </Text>
          <Text size="sm" mt={6}>
            {bi(a.explanation)}
          </Text>
          {mayAct && (
            <Stack mt="sm" gap="xs">
              {a.treatmentId && (
                <Button size="md" onClick={() => setMoving(a)}>
                  {kt('alerts.transfer')}
                </Button>
              )}
              <Button size="md" variant="light" onClick={() => setClosing(a)}>
                {kt('alerts.close')}
              </Button>
            </Stack>
          )}
        </Card>
      ))}
      {moving && <TransferModal alert={moving} onClose={() => setMoving(null)} />}
      {closing && <CloseModal alert={closing} onClose={() => setClosing(null)} />}
    </Stack>
  );
}
