/** /luong-xanh/dang-ky — a transport company registers vehicles and applies for permits. */
import {
  Badge,
  Button,
  Card,
  Group,
  MaskInput,
  MultiSelect,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, ApiError } from '../api.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { formatDateTime } from '../format.ts';
import { useGT } from './t.ts';
import type { Application, Route, Vehicle } from './types.ts';

const KINDS = ['truck', 'container', 'tractor', 'van', 'other'] as const;
const fieldErr = (e: unknown, path: string) =>
  e instanceof ApiError
    ? e.fields.find((f) => f.path === path || f.path.startsWith(path + '.'))?.message
    : undefined;
/** "dd/mm/yyyy hh:mm" (the app's date format, with a 24-hour time) as an instant; '' if incomplete. */
function instant(text: string): string {
  const d = dayjs(text, 'DD/MM/YYYY HH:mm', true);
  return d.isValid() ? d.toISOString() : '';
}

export function StatusBadge({ status }: { status: Application['status'] }) {
  const { gt } = useGT();
  const color = status === 'granted' ? 'green' : status === 'refused' ? 'red' : 'yellow';
  return <Badge color={color}>{gt(`status.${status}`)}</Badge>;
}

function VehicleForm() {
  const { gt } = useGT();
  const qc = useQueryClient();
  const [plate, setPlate] = useState('');
  const [kind, setKind] = useState<string>('truck');
  const add = useMutation({
    mutationFn: () =>
      api<Vehicle>('/api/v1/green-lane/vehicles', {
        method: 'POST',
        body: { clientId: crypto.randomUUID(), plate, kind },
      }),
    onSuccess: () => {
      setPlate('');
      void qc.invalidateQueries({ queryKey: ['gl-vehicles'] });
    },
  });
  return (
    <Group align="flex-end" wrap="wrap">
      <TextInput
        label={gt('apply.plate')}
        placeholder="29C-123.45"
        value={plate}
        onChange={(e) => setPlate(e.currentTarget.value)}
        error={fieldErr(add.error, 'plate')}
      />
      <Select
        label={gt('apply.kind')}
        data={KINDS.map((k) => ({ value: k, label: gt(`kind.${k}`) }))}
        value={kind}
        onChange={(v) => setKind(v ?? 'truck')}
        allowDeselect={false}
      />
      <Button onClick={() => add.mutate()} loading={add.isPending} disabled={!plate}>
        {gt('apply.addVehicle')}
      </Button>
    </Group>
  );
}

export function ApplyPage() {
  const { gt } = useGT();
  const qc = useQueryClient();
  const vehicles = useQuery({
    queryKey: ['gl-vehicles'],
    queryFn: () => api<{ items: Vehicle[] }>('/api/v1/green-lane/vehicles'),
  });
  const routes = useQuery({
    queryKey: ['gl-routes'],
    queryFn: () => api<{ items: Route[] }>('/api/v1/green-lane/routes'),
  });
  const people = useQuery({
    queryKey: ['gl-people'],
    queryFn: () =>
      api<{ items: { id: string; fullName: string; birthYear: number }[] }>(
        '/api/v1/persons?limit=200',
      ),
  });
  const mine = useQuery({
    queryKey: ['gl-applications'],
    queryFn: () => api<{ items: Application[] }>('/api/v1/green-lane/applications'),
  });
  const [form, setForm] = useState({
    vehicleId: '',
    routeId: '',
    cargo: '',
    from: '',
    to: '',
    crew: [] as string[],
  });
  const [clientId, setClientId] = useState(() => crypto.randomUUID());
  const set = (k: keyof typeof form) => (v: string | string[] | null) =>
    setForm((f) => ({ ...f, [k]: v ?? '' }));
  const send = useMutation({
    mutationFn: () =>
      api<Application>('/api/v1/green-lane/applications', {
        method: 'POST',
        body: {
          clientId,
          vehicleId: form.vehicleId,
          routeId: form.routeId,
          cargo: form.cargo,
          windowFrom: instant(form.from),
          windowTo: instant(form.to),
          crew: form.crew.map((personId, i) => ({
            personId,
            role: i === 0 ? 'driver' : 'assistant',
          })),
        },
      }),
    onSuccess: () => {
      notifications.show({ color: 'green', message: gt('apply.sent') });
      setClientId(crypto.randomUUID());
      setForm({ vehicleId: '', routeId: '', cargo: '', from: '', to: '', crew: [] });
      void qc.invalidateQueries({ queryKey: ['gl-applications'] });
    },
  });
  const e = send.error;
  return (
    <Stack maw={900}>
      <Title order={2}>{gt('apply.title')}</Title>
      <Text size="sm" c="dimmed">
        {gt('apply.intro')}
      </Text>
      <Card withBorder>
        <Title order={4} mb="xs">
          {gt('apply.vehicles')}
        </Title>
        <Text size="sm" mb="xs">
          {(vehicles.data?.items ?? []).map((v) => v.plate).join(', ') || '—'}
        </Text>
        <VehicleForm />
      </Card>
      <Card
        withBorder
        component="form"
        onSubmit={(ev) => {
          ev.preventDefault();
          send.mutate();
        }}
      >
        <Stack>
          <Select
            label={gt('apply.vehicle')}
            data={(vehicles.data?.items ?? []).map((v) => ({
              value: v.id,
              label: `${v.plate} · ${gt(`kind.${v.kind as (typeof KINDS)[number]}`)}`,
            }))}
            value={form.vehicleId || null}
            onChange={set('vehicleId')}
            error={fieldErr(e, 'vehicleId')}
            required
          />
          <Select
            label={gt('apply.route')}
            data={(routes.data?.items ?? []).map((r) => ({
              value: r.id,
              label: `${r.name} (${r.checkpointName} → ${r.yardName} → ${r.gateName})`,
            }))}
            value={form.routeId || null}
            onChange={set('routeId')}
            error={fieldErr(e, 'routeId')}
            required
          />
          <TextInput
            label={gt('apply.cargo')}
            value={form.cargo}
            onChange={(ev) => set('cargo')(ev.currentTarget.value)}
            error={fieldErr(e, 'cargo')}
            required
          />
          <Group grow wrap="wrap">
            <MaskInput
              key={`from-${clientId}`}
              label={gt('apply.from')}
              mask="99/99/9999 99:99"
              placeholder="dd/mm/yyyy hh:mm"
              inputMode="numeric"
              onChangeRaw={(raw, masked) => set('from')(raw ? masked : '')}
              error={fieldErr(e, 'windowFrom')}
              required
            />
            <MaskInput
              key={`to-${clientId}`}
              label={gt('apply.to')}
              mask="99/99/9999 99:99"
              placeholder="dd/mm/yyyy hh:mm"
              inputMode="numeric"
              onChangeRaw={(raw, masked) => set('to')(raw ? masked : '')}
              error={fieldErr(e, 'windowTo')}
              required
            />
          </Group>
          <MultiSelect
            label={gt('apply.crew')}
            data={(people.data?.items ?? []).map((p) => ({
              value: p.id,
              label: `${p.fullName} (${p.birthYear})`,
            }))}
            value={form.crew}
            onChange={set('crew')}
            error={fieldErr(e, 'crew')}
            searchable
            maxValues={5}
          />
          {e && !(e instanceof ApiError && e.fields.length) && <ErrorAlert error={e} />}
          <Group justify="flex-end">
            <Button type="submit" loading={send.isPending}>
              {gt('apply.submit')}
            </Button>
          </Group>
        </Stack>
      </Card>
      <Title order={3}>{gt('apply.mine')}</Title>
      <ApplicationTable items={mine.data?.items ?? []} />
      {mine.data?.items.length === 0 && <Text c="dimmed">{gt('apply.none')}</Text>}
    </Stack>
  );
}

/** Applications with their status, decision reason and a link to the permit once granted. */
export function ApplicationTable({ items }: { items: Application[] }) {
  const { gt } = useGT();
  return (
    <Table.ScrollContainer minWidth={600}>
      <Table striped>
        <Table.Tbody>
          {items.map((a) => (
            <Table.Tr key={a.id}>
              <Table.Td>{a.plate}</Table.Td>
              <Table.Td>{a.routeName}</Table.Td>
              <Table.Td>
                {formatDateTime(a.windowFrom)} – {formatDateTime(a.windowTo)}
              </Table.Td>
              <Table.Td>
                <StatusBadge status={a.status} /> {a.decisionReason}
              </Table.Td>
              <Table.Td>
                {a.permitId && (
                  <Button
                    component={Link}
                    to={`/luong-xanh/giay/${a.permitId}`}
                    size="xs"
                    variant="light"
                  >
                    {gt('apply.permit')}
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
