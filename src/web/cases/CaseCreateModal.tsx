/** Opening an F0 case: find the person, the positive sample, onset or none, how it was found. */
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Group,
  Loader,
  Modal,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
  UnstyledButton,
} from '@mantine/core';
import { useDebouncedValue, useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../api.ts';
import { DateField } from '../components/DateField.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { parseDisplayDate } from '../format.ts';
import { fieldErrors, unshownFields, uuid } from '../util.ts';
import { parseTime, TimeField } from './components.tsx';
import type { Person, PersonPage } from '../people/types.ts';
import { codeLabel, useCT } from './t.ts';
import { BASES, FOUND_BY, type Case } from './types.ts';
import { searchPersons } from '../people/search.ts';

const SHOWN = ['personId', 'positiveSampleAt', 'onsetDate', 'foundBy', 'basis'];

/** Search persons by ID number, phone or name; pick one. */
export function PersonPicker({
  value,
  onChange,
  error,
  label,
}: {
  value: Person | null;
  onChange: (p: Person | null) => void;
  error?: string;
  label: string;
}) {
  const ct = useCT();
  const [text, setText] = useState('');
  const [q] = useDebouncedValue(text.trim(), 300);
  const found = useQuery({
    queryKey: ['persons', 'pick', q],
    queryFn: () => searchPersons<PersonPage>({ q, limit: 8 }),
    enabled: q.length >= 2 && !value,
  });
  if (value) {
    return (
      <Stack gap={4}>
        <Text size="sm" fw={500}>
          {label}
        </Text>
        <Card withBorder padding="xs" data-testid="picked-person">
          <Group justify="space-between" wrap="nowrap">
            <div style={{ minWidth: 0 }}>
              <Text fw={600}>{value.fullName}</Text>
              <Text size="sm" c="dimmed">
                {value.birthYear}
                {value.idNumber ? ` · ${value.idNumber}` : ''}
                {value.phone ? ` · ${value.phone}` : ''}
              </Text>
            </div>
            <Button variant="subtle" size="xs" onClick={() => onChange(null)}>
              {ct('create.change')}
            </Button>
          </Group>
        </Card>
        {error && (
          <Text size="xs" c="red">
            {error}
          </Text>
        )}
      </Stack>
    );
  }
  return (
    <Stack gap={4}>
      <TextInput
        type="search"
        label={label}
        description={ct('create.personHint')}
        placeholder={ct('create.personSearch')}
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        autoComplete="off"
        error={error}
        rightSection={found.isFetching ? <Loader size="xs" /> : undefined}
        data-testid="person-search"
      />
      {q.length >= 2 && found.data && (
        <Stack gap={4} data-testid="person-results">
          {found.data.items.length === 0 && (
            <Text size="sm" c="dimmed">
              {ct('create.noPerson')}
            </Text>
          )}
          {found.data.items.map((p) => (
            <UnstyledButton
              key={p.id}
              onClick={() => onChange(p)}
              p="xs"
              style={{
                border: '1px solid var(--mantine-color-gray-3)',
                borderRadius: 'var(--mantine-radius-sm)',
              }}
            >
              <Text fw={600} size="sm">
                {p.fullName}
              </Text>
              <Text size="xs" c="dimmed">
                {p.birthYear}
                {p.idNumber ? ` · ${p.idNumber}` : ''}
                {p.phone ? ` · ${p.phone}` : ''}
              </Text>
            </UnstyledButton>
          ))}
        </Stack>
      )}
    </Stack>
  );
}

export function CaseCreateModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const ct = useCT();
  const { t } = useTranslation();
  const phone = useMediaQuery('(max-width: 48em)');
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [person, setPerson] = useState<Person | null>(null);
  const [sampleDate, setSampleDate] = useState('');
  const [sampleTime, setSampleTime] = useState(() => dayjs().format('HH:mm'));
  const [asymptomatic, setAsymptomatic] = useState(true);
  const [onset, setOnset] = useState('');
  const [foundBy, setFoundBy] = useState<string | null>('community');
  const [basis, setBasis] = useState<string | null>('pcr_positive');
  const [note, setNote] = useState('');
  const [local, setLocal] = useState<Record<string, string | undefined>>({});
  const [clientId] = useState(uuid);

  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      api<Case>('/api/v1/cases', { method: 'POST', body }),
    onSuccess: (c) => {
      void queryClient.invalidateQueries({ queryKey: ['cases'] });
      notifications.show({
        color: c.created === false ? 'yellow' : 'teal',
        message:
          c.created === false
            ? ct('create.existing', { code: c.code })
            : ct('create.created', { code: c.code }),
      });
      onClose();
      void navigate(`/ca-benh/${c.id}`);
    },
  });
  const errors = { ...fieldErrors(save.error), ...local };
  const clear = (k: string) => setLocal((l) => ({ ...l, [k]: undefined }));
  const other = unshownFields(save.error, (p) => SHOWN.includes(p));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const problems: Record<string, string> = {};
    if (!person) problems.personId = t('common.required');
    const d = parseDisplayDate(sampleDate);
    if (!d) problems.positiveSampleAt = sampleDate ? t('common.invalidDate') : t('common.required');
    const o = asymptomatic ? null : parseDisplayDate(onset);
    if (!asymptomatic && !o)
      problems.onsetDate = onset ? t('common.invalidDate') : t('common.required');
    const time = parseTime(sampleTime);
    if (!time) problems.sampleTime = t('common.required');
    setLocal(problems);
    if (Object.keys(problems).length) return;
    save.mutate({
      clientId,
      personId: person!.id,
      positiveSampleAt: `${d}T${time}:00+07:00`,
      onsetDate: o,
      foundBy,
      basis,
      ...(note.trim() ? { note: note.trim() } : {}),
    });
  };

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={ct('create.title')}
      fullScreen={!!phone}
      size="lg"
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {save.isError && other.length > 0 && <ErrorAlert error={save.error} showFields />}
          {save.isError &&
            other.length === 0 &&
            Object.keys(fieldErrors(save.error)).length === 0 && <ErrorAlert error={save.error} />}
          <PersonPicker
            label={ct('create.person')}
            value={person}
            onChange={(p) => {
              setPerson(p);
              clear('personId');
            }}
            error={errors.personId}
          />
          <Group align="flex-start" wrap="nowrap" gap="sm">
            <div style={{ flex: 1, minWidth: 0 }}>
              <DateField
                label={ct('create.sampleDate')}
                onChange={(v) => {
                  setSampleDate(v);
                  clear('positiveSampleAt');
                }}
                error={errors.positiveSampleAt}
              />
            </div>
            <TimeField
              label={ct('create.sampleTime')}
              value={sampleTime}
              onChange={(v) => {
                setSampleTime(v);
                clear('positiveSampleAt');
              }}
              error={errors.sampleTime}
            />
          </Group>
          <Checkbox
            label={ct('create.asymptomatic')}
            checked={asymptomatic}
            onChange={(e) => setAsymptomatic(e.currentTarget.checked)}
          />
          {!asymptomatic && (
            <DateField
              label={ct('create.onset')}
              onChange={(v) => {
                setOnset(v);
                clear('onsetDate');
              }}
              error={errors.onsetDate}
            />
          )}
          <Select
            label={ct('create.foundBy')}
            data={FOUND_BY.map((f) => ({ value: f, label: codeLabel(ct, 'foundBy', f) }))}
            value={foundBy}
            onChange={setFoundBy}
            allowDeselect={false}
            error={errors.foundBy}
          />
          <Select
            label={ct('create.basis')}
            data={BASES.map((b) => ({ value: b, label: codeLabel(ct, 'basis', b) }))}
            value={basis}
            onChange={setBasis}
            allowDeselect={false}
            error={errors.basis}
          />
          <Textarea
            label={ct('create.note')}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            maxLength={500}
            autosize
            minRows={2}
          />
          {errors.basis && (
            <Alert color="red" variant="light">
              {errors.basis}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {ct('create.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
