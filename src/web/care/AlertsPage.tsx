/**
 * Alerts of the commune or district, newest first, with what crossed which threshold; the
 * district moves the patient up a tier (a bed reserved) or closes the alert with a reason.
 */
import {
  Anchor,
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
import { Link } from 'react-router';
import { api } from '../api.ts';
import { useMe } from '../auth.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { formatDateTime } from '../format.ts';
import { useKT } from './t.ts';

export interface Alert {
  id: string;
  kind: string;
  status: string;
  closeReason: string | null;
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

export function TransferModal({ alert, onClose }: { alert: Alert; onClose: () => void }) {
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

export function CloseModal({ alert, onClose }: { alert: Alert; onClose: () => void }) {
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

/** One alert: the kind, the patient, what crossed which threshold; links to itself and the chart. */
export function AlertCard({
  a,
  onMove,
  onClose,
  linked = false,
}: {
  a: Alert;
  onMove: (a: Alert) => void;
  onClose: (a: Alert) => void;
  linked?: boolean;
}) {
  const { kt, bi } = useKT();
  const me = useMe();
  const mayAct = me.permissions.includes('alerts.write') && a.status === 'open';
  return (
    <Card withBorder radius="md" p="sm" data-testid="alert">
      <Group gap={6} mb={4}>
        <Badge color={a.kind === 'missed_monitoring' ? 'orange' : 'red'} tt="none">
          {kt(`alerts.kind_${a.kind}`)}
        </Badge>
        {a.status === 'closed' && (
          <Badge color="gray" tt="none">
            {kt('alerts.statusClosed')}
          </Badge>
        )}
      </Group>
      <Text fw={600}>
        {linked ? (
          <Anchor component={Link} to={`/canh-bao/${a.id}`}>
            {a.person.fullName}
          </Anchor>
        ) : (
          a.person.fullName
        )}
      </Text>
      <Text size="sm" c="dimmed">
        {a.ageYears !== null ? kt('alerts.age', { age: a.ageYears }) : ''}
        {a.tier ? ` · ${kt(`tier.${a.tier}`)}` : ''} · {formatDateTime(a.openedAt)}
      </Text>
      <Text size="sm" mt={6}>
        {bi(a.explanation)}
      </Text>
      {a.closeReason && (
        <Text size="sm" c="dimmed" mt={4}>
          {kt('alerts.reason')}: {a.closeReason}
        </Text>
      )}
      {a.treatmentId && (
        <Button
          component={Link}
          to={`/theo-doi-f0/${a.treatmentId}`}
          mt="sm"
          size="md"
          variant="default"
          fullWidth
        >
          {kt('treatment.chart')}
        </Button>
      )}
      {mayAct && (
        <Stack mt="sm" gap="xs">
          {a.treatmentId && (
            <Button size="md" onClick={() => onMove(a)}>
              {kt('alerts.transfer')}
            </Button>
          )}
          <Button size="md" variant="light" onClick={() => onClose(a)}>
            {kt('alerts.close')}
          </Button>
        </Stack>
      )}
    </Card>
  );
}

export function AlertsPage() {
  const { kt } = useKT();
  const me = useMe();
  const [moving, setMoving] = useState<Alert | null>(null);
  const [closing, setClosing] = useState<Alert | null>(null);
  const list = useQuery({
    queryKey: ['alerts'],
    queryFn: () => api<{ items: Alert[] }>('/api/v1/alerts?limit=100'),
    refetchInterval: 30_000,
  });
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
        <AlertCard key={a.id} a={a} onMove={setMoving} onClose={setClosing} linked />
      ))}
      {moving && <TransferModal alert={moving} onClose={() => setMoving(null)} />}
      {closing && <CloseModal alert={closing} onClose={() => setClosing(null)} />}
    </Stack>
  );
}
