/**
 * /bien-phong — a border post's phone (issue 17 item 5): report an illegal entry, a group handed
 * back by the other side, or a patrol; the people are registered and sent to the chosen quarantine
 * facility when the report is saved. The post, the district and the province see the recent
 * reports and the counts of the last 30 days.
 */
import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  MaskInput,
  NumberInput,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, type Unit } from '../api.ts';
import { useMe } from '../auth.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { formatDate, formatDateTime } from '../format.ts';
import { useGT } from './t.ts';

const KINDS = ['illegal_entry', 'handed_over', 'patrol'] as const;
type Kind = (typeof KINDS)[number];
const NATIONS = ['VN', 'LA', 'CN', 'KH', 'TH', 'MM'];
const nationName = (code: string, lang: string) =>
  new Intl.DisplayNames([lang], { type: 'region' }).of(code) ?? code;

interface Person {
  fullName: string;
  sex: 'male' | 'female';
  birthYear: number | '';
  nationality: string;
}
interface Report {
  id: string;
  kind: Kind;
  place: string;
  occurredAt: string;
  peopleCount: number;
  site: { name: string } | null;
  facility: { name: string } | null;
  people?: {
    id: string;
    fullName: string;
    admission: { room: string | null; releaseOn: string | null; facilityName: string };
  }[];
}
interface Counts {
  totals: Record<Kind, { reports: number; people: number; foreigners: number }>;
}

const fieldErr = (e: unknown, path: string) =>
  e instanceof ApiError
    ? e.fields.find((f) => f.path === path || f.path.startsWith(path + '.'))?.message
    : undefined;
const instant = (text: string) => {
  const d = dayjs(text, 'DD/MM/YYYY HH:mm', true);
  return d.isValid() ? d.toISOString() : '';
};
const nowText = () => dayjs().format('DD/MM/YYYY HH:mm');
const blank = (): Person => ({ fullName: '', sex: 'male', birthYear: '', nationality: 'VN' });

function ReportForm() {
  const { gt } = useGT();
  const { i18n } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const lang = i18n.language === 'en' ? 'en' : 'vi';
  const communes = useQuery({
    queryKey: ['admin-units', me.scope.districtCode],
    queryFn: () =>
      api<{ items: Unit[] }>(`/api/v1/admin-units?parent=${me.scope.districtCode}`).then(
        (r) => r.items,
      ),
    enabled: !!me.scope.districtCode,
  });
  const facilities = useQuery({
    queryKey: ['border-facilities'],
    queryFn: () =>
      api<{ items: { id: string; name: string; freeBeds: number }[] }>('/api/v1/border/facilities'),
  });
  const [kind, setKind] = useState<Kind>('illegal_entry');
  const [commune, setCommune] = useState<string | null>(me.scope.communeCode);
  const [place, setPlace] = useState('');
  const [at, setAt] = useState(nowText);
  const [endedAt, setEndedAt] = useState(nowText);
  const [people, setPeople] = useState<Person[]>([blank()]);
  const [facilityId, setFacilityId] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [clientId, setClientId] = useState(() => crypto.randomUUID());
  const [done, setDone] = useState<Report | null>(null);
  const patrol = kind === 'patrol';
  const setPerson = (i: number, p: Partial<Person>) =>
    setPeople((all) => all.map((x, j) => (j === i ? { ...x, ...p } : x)));
  const send = useMutation({
    mutationFn: () =>
      api<Report>('/api/v1/border/reports', {
        method: 'POST',
        body: {
          clientId,
          kind,
          communeCode: commune ?? '',
          place,
          occurredAt: instant(at),
          ...(patrol ? { endedAt: instant(endedAt) } : {}),
          ...(facilityId && !patrol ? { facilityId } : {}),
          ...(note.trim() ? { note } : {}),
          people: patrol
            ? []
            : people.map((p) => ({ ...p, birthYear: p.birthYear === '' ? 0 : p.birthYear })),
        },
      }),
    onSuccess: (r) => {
      notifications.show({ color: 'green', message: gt('border.saved') });
      setDone(r);
      setClientId(crypto.randomUUID());
      setPlace('');
      setNote('');
      setPeople([blank()]);
      void qc.invalidateQueries({ queryKey: ['border-reports'] });
      void qc.invalidateQueries({ queryKey: ['border-counts'] });
      void qc.invalidateQueries({ queryKey: ['border-facilities'] });
    },
  });
  const e = send.error;
  return (
    <Card
      withBorder
      component="form"
      onSubmit={(ev) => {
        ev.preventDefault();
        setDone(null);
        send.mutate();
      }}
    >
      <Stack>
        <Select
          label={gt('border.kind')}
          data={KINDS.map((k) => ({ value: k, label: gt(`border.kinds.${k}`) }))}
          value={kind}
          onChange={(v) => setKind((v as Kind) ?? 'illegal_entry')}
          allowDeselect={false}
          size="md"
          data-testid="bp-kind"
        />
        <Select
          label={gt('border.commune')}
          data={(communes.data ?? []).map((u) => ({ value: u.code, label: u.name }))}
          value={commune}
          onChange={setCommune}
          error={fieldErr(e, 'communeCode')}
          allowDeselect={false}
          searchable
          size="md"
          required
        />
        <TextInput
          label={gt('border.place')}
          value={place}
          onChange={(ev) => setPlace(ev.currentTarget.value)}
          error={fieldErr(e, 'place')}
          size="md"
          required
        />
        <MaskInput
          label={gt(patrol ? 'border.patrolFrom' : 'border.at')}
          mask="99/99/9999 99:99"
          inputMode="numeric"
          value={at}
          onChange={(ev) => setAt(ev.currentTarget.value)}
          error={fieldErr(e, 'occurredAt')}
          size="md"
        />
        {patrol ? (
          <MaskInput
            label={gt('border.patrolTo')}
            mask="99/99/9999 99:99"
            inputMode="numeric"
            value={endedAt}
            onChange={(ev) => setEndedAt(ev.currentTarget.value)}
            error={fieldErr(e, 'endedAt')}
            size="md"
          />
        ) : (
          <>
            <Title order={4}>{gt('border.people')}</Title>
            {fieldErr(e, 'people') && !e?.message.includes('people.') && (
              <Text c="red" size="sm">
                {fieldErr(e, 'people')}
              </Text>
            )}
            {people.map((p, i) => (
              <Card key={i} withBorder padding="sm" data-testid="bp-person">
                <Stack gap="xs">
                  <Text fw={600}>{gt('border.person', { n: i + 1 })}</Text>
                  <TextInput
                    label={gt('border.fullName')}
                    value={p.fullName}
                    onChange={(ev) => setPerson(i, { fullName: ev.currentTarget.value })}
                    error={fieldErr(e, `people.${i}.fullName`)}
                    size="md"
                    required
                  />
                  <Group grow wrap="nowrap" align="flex-start">
                    <Select
                      label={gt('border.sex')}
                      data={[
                        { value: 'male', label: gt('border.male') },
                        { value: 'female', label: gt('border.female') },
                      ]}
                      value={p.sex}
                      onChange={(v) => setPerson(i, { sex: (v as Person['sex']) ?? 'male' })}
                      allowDeselect={false}
                      size="md"
                    />
                    <NumberInput
                      label={gt('border.birthYear')}
                      value={p.birthYear}
                      onChange={(v) => setPerson(i, { birthYear: typeof v === 'number' ? v : '' })}
                      error={fieldErr(e, `people.${i}.birthYear`)}
                      hideControls
                      inputMode="numeric"
                      size="md"
                    />
                  </Group>
                  <Select
                    label={gt('border.nationality')}
                    data={NATIONS.map((c) => ({ value: c, label: nationName(c, lang) }))}
                    value={p.nationality}
                    onChange={(v) => setPerson(i, { nationality: v ?? 'VN' })}
                    error={fieldErr(e, `people.${i}.nationality`)}
                    allowDeselect={false}
                    size="md"
                  />
                  {people.length > 1 && (
                    <Button
                      variant="subtle"
                      color="red"
                      size="md"
                      onClick={() => setPeople((all) => all.filter((_, j) => j !== i))}
                    >
                      {gt('border.removePerson')}
                    </Button>
                  )}
                </Stack>
              </Card>
            ))}
            <Button variant="light" size="md" onClick={() => setPeople((all) => [...all, blank()])}>
              {gt('border.addPerson')}
            </Button>
            <Select
              label={gt('border.facility')}
              data={(facilities.data?.items ?? []).map((f) => ({
                value: f.id,
                label: `${f.name} · ${gt('border.freeBeds', { n: f.freeBeds })}`,
              }))}
              value={facilityId}
              onChange={setFacilityId}
              error={fieldErr(e, 'facilityId')}
              allowDeselect={false}
              size="md"
              required
              data-testid="bp-facility"
            />
          </>
        )}
        <Textarea
          label={gt('border.note')}
          value={note}
          onChange={(ev) => setNote(ev.currentTarget.value)}
          autosize
          minRows={2}
          size="md"
        />
        {e && !(e instanceof ApiError && e.fields.length) && <ErrorAlert error={e} />}
        <Button type="submit" size="md" loading={send.isPending}>
          {gt(patrol ? 'border.savePatrol' : 'border.save')}
        </Button>
        {done && done.people && done.people.length > 0 && (
          <Alert color="green" title={gt('border.placed', { n: done.people.length })}>
            <Stack gap={4} data-testid="bp-placed">
              {done.people.map((p) => (
                <Text key={p.id} size="sm">
                  {p.fullName}: {p.admission.facilityName},{' '}
                  {gt('border.room', {
                    room: p.admission.room ?? '—',
                    date: formatDate(p.admission.releaseOn),
                  })}
                </Text>
              ))}
            </Stack>
          </Alert>
        )}
      </Stack>
    </Card>
  );
}

function CountsCard() {
  const { gt } = useGT();
  const q = useQuery({
    queryKey: ['border-counts'],
    queryFn: () => api<Counts>('/api/v1/border/counts'),
  });
  if (!q.data) return q.error ? <ErrorAlert error={q.error} /> : null;
  const t = q.data.totals;
  return (
    <Card withBorder data-testid="bp-counts">
      <Title order={4} mb="xs">
        {gt('border.counts')}
      </Title>
      {KINDS.map((k) => (
        <Text key={k} size="sm">
          {gt(`border.kinds.${k}`)}: {t[k].reports} {gt('border.reports')}
          {k !== 'patrol' &&
            ` / ${gt('border.persons', { n: t[k].people })} (${t[k].foreigners} ${gt('border.foreigners')})`}
        </Text>
      ))}
    </Card>
  );
}

export function BorderPage() {
  const { gt } = useGT();
  const me = useMe();
  const list = useQuery({
    queryKey: ['border-reports'],
    queryFn: () => api<{ items: Report[] }>('/api/v1/border/reports?limit=20'),
  });
  return (
    <Stack maw={720}>
      <Title order={2}>{gt('border.title')}</Title>
      <Text size="sm" c="dimmed">
        {gt('border.intro')}
      </Text>
      {me.permissions.includes('border.write') && <ReportForm />}
      <CountsCard />
      <Title order={3}>{gt('border.recent')}</Title>
      {list.error && <ErrorAlert error={list.error} />}
      {list.data?.items.length === 0 && <Text c="dimmed">{gt('border.none')}</Text>}
      {(list.data?.items ?? []).map((r) => (
        <Card key={r.id} withBorder padding="sm" data-testid="bp-report">
          <Group justify="space-between" wrap="nowrap">
            <Badge color={r.kind === 'patrol' ? 'gray' : 'red'}>
              {gt(`border.kinds.${r.kind}`)}
            </Badge>
            <Text size="sm" c="dimmed">
              {formatDateTime(r.occurredAt)}
            </Text>
          </Group>
          <Text size="sm">
            {r.place}
            {r.site ? ` · ${r.site.name}` : ''}
          </Text>
          {r.kind !== 'patrol' && (
            <Text size="sm">
              {gt('border.persons', { n: r.peopleCount })}
              {r.facility ? ` → ${r.facility.name}` : ''}
            </Text>
          )}
        </Card>
      ))}
    </Stack>
  );
}
