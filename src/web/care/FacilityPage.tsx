/**
 * One facility as its manager works it on a phone: today's tests and releases, beds by kind,
 * occupancy by cohort; the people staying (release, test result), the rooms with the cohort
 * each holds, and the F1 waiting for a place (admitted from their order in one tap).
 */
import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Progress,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams } from 'react-router';
import { api } from '../api.ts';
import { useMe } from '../auth.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { formatDate } from '../format.ts';
import { AdmitModal, ReleaseModal, TestModal, useAdmit, type Placed } from './FacilityActions.tsx';
import { usedPercent } from './FacilitiesPage.tsx';
import { usePaged } from './paged.ts';
import { useKT } from './t.ts';
import type { Admission, Cohort, FacilityDetail, Room, Waiting } from './types.ts';

function useCohortLabel() {
  const { kt } = useKT();
  return (c: Cohort | null) => (c ? kt(`facility.cohort_${c.kind}`, { label: c.label }) : '');
}

function Figure({ label, value, color }: { label: string; value: number; color?: string }) {
  return (
    <Card withBorder radius="md" p="xs">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="xl" c={color}>
        {value}
      </Text>
    </Card>
  );
}

/** A bed's label ("ordinary-2", made when the room was added) in the page's language. */
function useBedLabel() {
  const { kt } = useKT();
  return (label: string | null) => {
    const m = /^(ordinary|oxygen|icu)-(\d+)$/.exec(label ?? '');
    return m ? `${kt(`bedShort.${m[1]}`)} ${m[2]}` : (label ?? '');
  };
}

function People({ f }: { f: FacilityDetail }) {
  const { kt } = useKT();
  const bedLabel = useBedLabel();
  const me = useMe();
  const [releasing, setReleasing] = useState<Admission | null>(null);
  const [testing, setTesting] = useState<Admission | null>(null);
  const list = usePaged<Admission>(
    ['facility', f.id, 'people'],
    `/api/v1/admissions?facility=${f.id}`,
  );
  const mayWrite = me.permissions.includes('admissions.write');
  return (
    <Stack gap="sm">
      {list.error && <ErrorAlert error={list.error} />}
      {list.data && list.rows.length === 0 && <Text c="dimmed">{kt('facility.noPeople')}</Text>}
      {list.rows.map((a) => (
        <Card key={a.id} withBorder radius="md" p="sm" data-testid="stay">
          <Group justify="space-between" wrap="nowrap" align="flex-start">
            <div style={{ minWidth: 0 }}>
              <Text fw={600}>{a.person.fullName}</Text>
              <Text size="sm" c="dimmed">
                {a.person.birthYear}
                {a.room
                  ? ` · ${kt('facility.room', { room: a.room.name, bed: bedLabel(a.room.bed) })}`
                  : ''}
              </Text>
              <Text size="sm">{kt('facility.releaseOn', { date: formatDate(a.releaseOn) })}</Text>
            </div>
            <Stack gap={4} align="flex-end">
              {a.testDueToday && <Badge color="grape">{kt('facility.testToday')}</Badge>}
              {a.releaseDue && <Badge color="teal">{kt('facility.releaseDue')}</Badge>}
            </Stack>
          </Group>
          {mayWrite && (
            <Group grow mt="sm" gap="xs">
              <Button size="md" variant="light" onClick={() => setTesting(a)}>
                {kt('facility.test')}
              </Button>
              <Button
                size="md"
                variant={a.releaseDue ? 'filled' : 'default'}
                onClick={() => setReleasing(a)}
              >
                {kt('facility.release')}
              </Button>
            </Group>
          )}
        </Card>
      ))}
      {list.hasNextPage && (
        <Button variant="default" size="md" onClick={() => void list.fetchNextPage()}>
          {kt('facilities.more')}
        </Button>
      )}
      {releasing && (
        <ReleaseModal a={releasing} facilityId={f.id} onClose={() => setReleasing(null)} />
      )}
      {testing && <TestModal a={testing} facilityId={f.id} onClose={() => setTesting(null)} />}
    </Stack>
  );
}

function RoomCard({ r }: { r: Room }) {
  const { kt } = useKT();
  const label = useCohortLabel();
  return (
    <Card withBorder radius="md" p="sm" data-testid="room">
      <Group justify="space-between" wrap="nowrap">
        <Text fw={600}>{r.name}</Text>
        {r.cohort ? (
          <Badge color={r.cohort.kind === 'f0' ? 'red' : 'blue'} variant="light" tt="none">
            {label(r.cohort)}
          </Badge>
        ) : (
          <Badge color="gray" variant="outline" tt="none">
            {kt('facility.emptyRoom')}
          </Badge>
        )}
      </Group>
      <Text size="sm" mt={4}>
        {kt('facility.roomLine', { occupied: r.occupied, beds: r.beds, ...r.free })}
      </Text>
      <Progress mt={6} value={usedPercent(r.occupied, r.beds)} aria-hidden />
    </Card>
  );
}

function Rooms({ f }: { f: FacilityDetail }) {
  const { kt } = useKT();
  const label = useCohortLabel();
  // the first page comes with the facility; the rest through the room list
  const more = usePaged<Room>(
    ['facility', f.id, 'rooms', f.roomsNextCursor],
    `/api/v1/facilities/${f.id}/rooms`,
    { limit: 50, after: f.roomsNextCursor, enabled: false },
  );
  return (
    <Stack gap="sm">
      <Card withBorder radius="md" p="sm">
        <Text fw={600} mb={4}>
          {kt('facility.cohorts')}
        </Text>
        {f.cohorts.length === 0 && <Text c="dimmed">{kt('facility.noCohorts')}</Text>}
        {f.cohorts.map((c) => (
          <Group key={c.cohortKey} justify="space-between" wrap="nowrap" data-testid="cohort">
            <Text size="sm">
              {label(c.cohort)}
              {c.firstAdmittedOn
                ? ` · ${kt('facility.since', { date: formatDate(c.firstAdmittedOn) })}`
                : ''}
            </Text>
            <Text size="sm" c="dimmed" style={{ flexShrink: 0 }}>
              {kt('facility.cohortLine', c)}
            </Text>
          </Group>
        ))}
      </Card>
      {[...f.rooms, ...more.rows].map((r) => (
        <RoomCard key={r.id} r={r} />
      ))}
      {(more.data ? more.hasNextPage : !!f.roomsNextCursor) && (
        <Button
          variant="default"
          size="md"
          onClick={() => void (more.data ? more.fetchNextPage() : more.refetch())}
        >
          {kt('facilities.more')}
        </Button>
      )}
    </Stack>
  );
}

function WaitingList({ f }: { f: FacilityDetail }) {
  const { kt } = useKT();
  const list = usePaged<Waiting>(
    ['facility', f.id, 'waiting'],
    `/api/v1/facilities/${f.id}/waiting`,
  );
  const { bi } = useKT();
  const [placed, setPlaced] = useState<Placed | null>(null);
  const admit = useAdmit(f.id, (r) => {
    setPlaced(r);
    void list.refetch();
  });
  return (
    <Stack gap="sm">
      {placed && (
        <Alert
          color="teal"
          withCloseButton
          onClose={() => setPlaced(null)}
          title={kt('facility.placedTitle', {
            name: placed.person.fullName,
            room: placed.room.name,
          })}
          data-testid="placed"
        >
          {bi(placed.placement)}
        </Alert>
      )}
      {list.error && <ErrorAlert error={list.error} />}
      {admit.error && <ErrorAlert error={admit.error} />}
      {list.data && list.rows.length === 0 && <Text c="dimmed">{kt('facility.noWaiting')}</Text>}
      {list.rows.map((w) => (
        <Card key={w.orderId} withBorder radius="md" p="sm" data-testid="waiting">
          <Text fw={600}>{w.person.fullName}</Text>
          <Text size="sm" c="dimmed">
            {w.person.birthYear} ·{' '}
            {kt('facility.order', { date: formatDate(w.startDate), code: w.caseCode })}
          </Text>
          <Button
            mt="sm"
            size="md"
            fullWidth
            loading={admit.isPending && admit.variables?.quarantineOrderId === w.orderId}
            onClick={() =>
              admit.mutate({ personId: w.person.id, quarantineOrderId: w.orderId, source: 'order' })
            }
          >
            {kt('facility.admit')}
          </Button>
        </Card>
      ))}
      {list.hasNextPage && (
        <Button variant="default" size="md" onClick={() => void list.fetchNextPage()}>
          {kt('facilities.more')}
        </Button>
      )}
    </Stack>
  );
}

export function FacilityPage() {
  const { kt } = useKT();
  const me = useMe();
  const { id = '' } = useParams();
  const [tab, setTab] = useState('people');
  const [admitting, setAdmitting] = useState(false);
  const f = useQuery({
    queryKey: ['facility', id],
    queryFn: () => api<FacilityDetail>(`/api/v1/facilities/${id}`),
  });
  if (f.error) return <ErrorAlert error={f.error} />;
  if (!f.data) return null;
  const d = f.data;
  const mayAdmit = me.permissions.includes('admissions.write');
  return (
    <Stack maw={720}>
      <div>
        <Title order={2}>{d.name}</Title>
        <Text size="sm" c="dimmed">
          {kt(`facilities.kind_${d.kind}`)}
        </Text>
      </div>
      <SimpleGrid cols={2} spacing="xs">
        <Figure label={kt('facility.admitted')} value={d.today.admitted} />
        <Figure
          label={kt('facility.free')}
          value={d.beds.free}
          color={d.beds.free ? undefined : 'red'}
        />
        <Figure label={kt('facility.testsDue')} value={d.today.testsDue} color="grape" />
        <Figure label={kt('facility.releasesDue')} value={d.today.releasesDue} color="teal" />
      </SimpleGrid>
      {d.oxygenBeds.total + d.icu.total > 0 && (
        <Text size="sm">
          {kt('board.oxygenBeds')}:{' '}
          {kt('board.used', { used: d.oxygenBeds.occupied, total: d.oxygenBeds.total })} ·{' '}
          {kt('board.icu')}: {kt('board.used', { used: d.icu.occupied, total: d.icu.total })}
        </Text>
      )}
      {mayAdmit && me.permissions.includes('persons.read') && (
        <Button size="md" variant="light" onClick={() => setAdmitting(true)}>
          {kt('facility.admitTitle')}
        </Button>
      )}
      <SegmentedControl
        size="md"
        fullWidth
        value={tab}
        onChange={setTab}
        data={[
          { value: 'people', label: kt('facility.people') },
          { value: 'rooms', label: kt('facility.rooms') },
          ...(mayAdmit ? [{ value: 'waiting', label: kt('facility.waiting') }] : []),
        ]}
      />
      {tab === 'people' && <People f={d} />}
      {tab === 'rooms' && <Rooms f={d} />}
      {tab === 'waiting' && <WaitingList f={d} />}
      {admitting && <AdmitModal facilityId={d.id} onClose={() => setAdmitting(false)} />}
    </Stack>
  );
}
