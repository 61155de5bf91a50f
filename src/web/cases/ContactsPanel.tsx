/**
 * The F1 and F2 candidates of a case with their evidence; the tracer confirms (a confirmed F1
 * gets its quarantine order) or rejects with a reason; contacts named in the interview are added.
 */
import {
  Badge,
  Button,
  Card,
  Center,
  Checkbox,
  Divider,
  Group,
  Loader,
  Modal,
  NumberInput,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, type Page } from '../api.ts';
import { DateField } from '../components/DateField.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { formatDateTime, parseDisplayDate } from '../format.ts';
import type { Person } from '../people/types.ts';
import { fieldErrors, uuid } from '../util.ts';
import { useCanC } from './access.tsx';
import { PersonPicker } from './CaseCreateModal.tsx';
import {
  EvidenceLine,
  OrderBox,
  parseTime,
  TimeField,
  RoleBadge,
  STRENGTH_COLOR,
} from './components.tsx';
import { codeLabel, useCT } from './t.ts';
import type { Contact, ContactsAnswer, Order } from './types.ts';

/** The quarantine orders of a case's confirmed F1 (in the user's area), by contact. */
function useOrdersByContact(caseId: string, enabled: boolean) {
  return useQuery({
    queryKey: ['orders', 'case', caseId],
    queryFn: () =>
      api<Page<Order>>(`/api/v1/quarantine-orders?status=all&case=${caseId}&limit=200`).then(
        (r) => new Map(r.items.map((o) => [o.contactId, o])),
      ),
    enabled,
  });
}

function RejectModal({ contact, onClose }: { contact: Contact; onClose: () => void }) {
  const ct = useCT();
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const reject = useMutation({
    mutationFn: () =>
      api<Contact>(`/api/v1/contacts/${contact.id}/reject`, {
        method: 'POST',
        body: { reason: reason.trim() },
      }),
    onSuccess: () => {
      notifications.show({ message: ct('contacts.rejected', { name: contact.person.fullName }) });
      void queryClient.invalidateQueries({ queryKey: ['cases'] });
      void queryClient.invalidateQueries({ queryKey: ['orders'] });
      onClose();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    reject.mutate();
  };
  return (
    <Modal
      opened
      onClose={onClose}
      title={ct('contacts.rejectTitle', { name: contact.person.fullName })}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {reject.isError && !fieldErrors(reject.error).reason && (
            <ErrorAlert error={reject.error} />
          )}
          <Textarea
            label={ct('contacts.reason')}
            placeholder={ct('contacts.reasonHint')}
            value={reason}
            onChange={(e) => {
              setReason(e.currentTarget.value);
              if (reject.isError) reject.reset();
            }}
            error={fieldErrors(reject.error).reason}
            autosize
            minRows={2}
            maxLength={500}
            data-autofocus
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color="red" loading={reject.isPending}>
              {ct('contacts.reject')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function ContactCard({ c, order }: { c: Contact; order: Order | undefined }) {
  const ct = useCT();
  const queryClient = useQueryClient();
  const canWrite = useCanC('contacts.write');
  const [rejecting, setRejecting] = useState(false);
  const confirm = useMutation({
    mutationFn: () =>
      api<Contact & { quarantineOrder: Order | null }>(`/api/v1/contacts/${c.id}/confirm`, {
        method: 'POST',
        body: {},
      }),
    onSuccess: () => {
      notifications.show({
        color: 'teal',
        message: ct('contacts.confirmed', { name: c.person.fullName }),
      });
      void queryClient.invalidateQueries({ queryKey: ['orders'] });
      void queryClient.invalidateQueries({ queryKey: ['cases'] });
      void queryClient.invalidateQueries({ queryKey: ['tracing'] });
      void queryClient.invalidateQueries({ queryKey: ['notices'] });
    },
  });
  return (
    <Card
      withBorder
      padding="sm"
      data-testid="contact-card"
      data-status={c.status}
      bg={c.status === 'rejected' ? 'gray.0' : undefined}
    >
      <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
        <Group gap={8} wrap="nowrap" style={{ minWidth: 0 }}>
          <RoleBadge role={c.label} />
          <div style={{ minWidth: 0 }}>
            <Text
              fw={600}
              component={Link}
              to={`/chuoi-lay/${c.person.id}`}
              style={{ color: 'inherit' }}
            >
              {c.person.fullName}
            </Text>
            <Text size="sm" c="dimmed">
              {c.person.birthYear}
              {c.person.phone ? ` · ${c.person.phone}` : ''}
            </Text>
          </div>
        </Group>
        <Badge
          variant="light"
          color={c.status === 'confirmed' ? 'teal' : c.status === 'rejected' ? 'gray' : 'blue'}
          style={{ flexShrink: 0 }}
        >
          {codeLabel(ct, 'contactStatus', c.status)}
        </Badge>
      </Group>
      <Group gap={6} mt={6} wrap="wrap">
        <Badge color={STRENGTH_COLOR[c.strengthLabel.level]} variant="outline">
          {codeLabel(ct, 'strength', c.strengthLabel.level)} · {c.strength}
        </Badge>
        {c.via && (
          <Text size="sm" c="dimmed">
            {ct('contacts.via', { name: c.via.fullName ?? '—' })}
          </Text>
        )}
      </Group>
      <Stack gap={6} mt={6}>
        {c.evidence.map((e, i) => (
          <EvidenceLine key={`${e.placeKey}-${i}`} e={e} />
        ))}
      </Stack>
      {c.decision?.reason && (
        <Text size="sm" mt={6} fs="italic">
          {ct('contacts.decision', { reason: c.decision.reason })}
        </Text>
      )}
      {c.status === 'confirmed' && order && (
        <Stack mt="xs">
          <OrderBox order={order} />
        </Stack>
      )}
      {canWrite && c.status !== 'rejected' && (
        <Group mt="sm" gap="xs" grow>
          {c.status === 'candidate' && (
            <Button size="sm" onClick={() => confirm.mutate()} loading={confirm.isPending}>
              {ct('contacts.confirm')}
            </Button>
          )}
          <Button size="sm" variant="default" color="red" onClick={() => setRejecting(true)}>
            {ct('contacts.reject')}
          </Button>
        </Group>
      )}
      {confirm.isError && <ErrorAlert error={confirm.error} />}
      {rejecting && <RejectModal contact={c} onClose={() => setRejecting(false)} />}
    </Card>
  );
}

function InterviewModal({ caseId, onClose }: { caseId: string; onClose: () => void }) {
  const ct = useCT();
  const { t } = useTranslation();
  const phone = useMediaQuery('(max-width: 48em)');
  const queryClient = useQueryClient();
  const [person, setPerson] = useState<Person | null>(null);
  const [date, setDate] = useState('');
  const [time, setTime] = useState(() => dayjs().format('HH:mm'));
  const [minutes, setMinutes] = useState<number | string>(30);
  const [masked, setMasked] = useState(false);
  const [physical, setPhysical] = useState(false);
  const [place, setPlace] = useState('');
  const [local, setLocal] = useState<Record<string, string>>({});
  const [clientId] = useState(uuid);
  const add = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      api(`/api/v1/cases/${caseId}/interview-contacts`, { method: 'POST', body }),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: ct('contacts.added') });
      void queryClient.invalidateQueries({ queryKey: ['cases'] });
      onClose();
    },
  });
  const errors = { ...fieldErrors(add.error), ...local };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const d = parseDisplayDate(date);
    const problems: Record<string, string> = {};
    if (!person) problems.personId = t('common.required');
    if (!d) problems.at = date ? t('common.invalidDate') : t('common.required');
    if (typeof minutes !== 'number' || minutes < 1) problems.minutes = t('common.required');
    setLocal(problems);
    if (Object.keys(problems).length) return;
    const hhmm = parseTime(time);
    if (!hhmm) return setLocal({ ...problems, time: t('common.required') });
    add.mutate({
      clientId,
      personId: person!.id,
      at: `${d}T${hhmm}:00+07:00`,
      minutes,
      masked,
      physical,
      ...(place.trim() ? { place: place.trim() } : {}),
    });
  };
  return (
    <Modal
      opened
      onClose={onClose}
      title={ct('contacts.interviewTitle')}
      fullScreen={!!phone}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {add.isError && Object.keys(fieldErrors(add.error)).length === 0 && (
            <ErrorAlert error={add.error} />
          )}
          <PersonPicker
            label={ct('create.person')}
            value={person}
            onChange={setPerson}
            error={errors.personId}
          />
          <Group align="flex-start" wrap="nowrap" gap="sm">
            <div style={{ flex: 1, minWidth: 0 }}>
              <DateField label={ct('contacts.when')} onChange={setDate} error={errors.at} />
            </div>
            <TimeField
              label={ct('contacts.time')}
              value={time}
              onChange={setTime}
              error={errors.time}
            />
          </Group>
          <NumberInput
            label={ct('contacts.duration')}
            value={minutes}
            onChange={setMinutes}
            min={1}
            max={44640}
            error={errors.minutes}
          />
          <TextInput
            label={ct('contacts.place')}
            value={place}
            onChange={(e) => setPlace(e.currentTarget.value)}
            maxLength={200}
            error={errors.place}
          />
          <Checkbox
            label={ct('contacts.masked')}
            checked={masked}
            onChange={(e) => setMasked(e.currentTarget.checked)}
          />
          <Checkbox
            label={ct('contacts.physical')}
            checked={physical}
            onChange={(e) => setPhysical(e.currentTarget.checked)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={add.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function ContactsPanel({ caseId }: { caseId: string }) {
  const ct = useCT();
  const canWrite = useCanC('contacts.write');
  const [interview, setInterview] = useState(false);
  const contacts = useQuery({
    queryKey: ['cases', 'contacts', caseId],
    queryFn: () => api<ContactsAnswer>(`/api/v1/cases/${caseId}/contacts?depth=2`),
  });
  const orders = useOrdersByContact(
    caseId,
    !!contacts.data?.f1.some((c) => c.status === 'confirmed' && c.quarantineOrderId),
  );
  if (contacts.isPending)
    return (
      <Center p="md">
        <Loader />
      </Center>
    );
  if (contacts.isError) return <ErrorAlert error={contacts.error} />;
  const { f1, f2, alreadyF0 } = contacts.data;
  const section = (title: string, list: Contact[], testId: string) => (
    <Stack gap="xs" data-testid={testId}>
      <Group justify="space-between">
        <Title order={4}>{title}</Title>
        <Text size="sm" c="dimmed">
          {ct('contacts.total', { count: list.length })}
        </Text>
      </Group>
      {list.length === 0 && <Text c="dimmed">{ct('contacts.none')}</Text>}
      {list.map((c) => (
        <ContactCard key={c.id} c={c} order={orders.data?.get(c.id)} />
      ))}
    </Stack>
  );
  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="wrap">
        <Title order={3}>{ct('contacts.title')}</Title>
        {canWrite && (
          <Button variant="light" onClick={() => setInterview(true)}>
            {ct('contacts.addInterview')}
          </Button>
        )}
      </Group>
      <Text size="sm" fw={600} data-testid="contact-counts">
        {ct('case.counts', {
          f1: f1.filter((c) => c.status === 'candidate').length,
          f1c: f1.filter((c) => c.status === 'confirmed').length,
          f2: f2.filter((c) => c.status === 'candidate').length,
          f2c: f2.filter((c) => c.status === 'confirmed').length,
        })}
      </Text>
      {section(ct('contacts.f1'), f1, 'f1-list')}
      <Divider />
      {section(ct('contacts.f2'), f2, 'f2-list')}
      {alreadyF0.length > 0 && (
        <Stack gap="xs" data-testid="already-f0-list">
          <Divider />
          <Title order={4}>{ct('contacts.alreadyF0')}</Title>
          {alreadyF0.map((x) => (
            <Card key={x.personId} withBorder padding="sm">
              <Group justify="space-between" wrap="nowrap">
                <Text fw={600}>{x.fullName}</Text>
                <Badge color="red">F0</Badge>
              </Group>
              <Text size="sm">
                <Link to={`/ca-benh/${x.caseId}`}>
                  {ct('contacts.alreadyF0Line', {
                    code: x.caseCode,
                    from: formatDateTime(x.firstExposureAt),
                    to: formatDateTime(x.lastExposureAt),
                  })}
                </Link>
              </Text>
            </Card>
          ))}
        </Stack>
      )}
      {interview && <InterviewModal caseId={caseId} onClose={() => setInterview(false)} />}
    </Stack>
  );
}
