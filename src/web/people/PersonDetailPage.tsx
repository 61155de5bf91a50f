import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Center,
  Group,
  List,
  Loader,
  Modal,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, ApiError } from '../api.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { formatDate, formatDateTime } from '../format.ts';
import { NotFoundPage } from '../pages/NotFoundPage.tsx';
import { fieldErrors, unshownFields } from '../util.ts';
import { useCanP } from './access.tsx';
import { birthText, DuplicateList, idText, shortId } from './components/PersonCards.tsx';
import {
  checkPersonForm,
  besideInputs,
  PERSON_FORM_PATHS,
  PersonFields,
  personPatchBody,
  personToForm,
  type PersonFormValues,
} from './components/PersonForm.tsx';
import { AddressText, CommuneName, VillageName } from './components/places.tsx';
import { codeLabel, usePT } from './t.ts';
import type { Duplicate, Person, PersonDetail } from './types.ts';

export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div style={{ minWidth: 0 }}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text style={{ wordBreak: 'break-word' }}>{children}</Text>
    </div>
  );
}

export const personQuery = (id: string) => ({
  queryKey: ['persons', 'one', id],
  queryFn: () => api<PersonDetail>(`/api/v1/persons/${encodeURIComponent(id)}`),
});

function EditModal({
  person,
  opened,
  onClose,
}: {
  person: Person;
  opened: boolean;
  onClose: () => void;
}) {
  const pt = usePT();
  const { t } = useTranslation();
  const phone = useMediaQuery('(max-width: 48em)');
  const queryClient = useQueryClient();
  const [value, setValue] = useState<PersonFormValues>(() => personToForm(person));
  const [local, setLocal] = useState<Record<string, string | undefined>>({});
  const [touched, setTouched] = useState<Set<string>>(new Set());

  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      api<Person>(`/api/v1/persons/${person.id}`, { method: 'PATCH', body }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['persons'] });
      notifications.show({ color: 'teal', message: pt('person.saved') });
      onClose();
    },
  });
  const server = fieldErrors(save.error);
  for (const path of touched) delete server[path];
  const errors = { ...server, ...local };
  const other = unshownFields(save.error, (p) => PERSON_FORM_PATHS.includes(p));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const problems = checkPersonForm(value, pt, t('common.required'), t('common.invalidDate'));
    setLocal(problems);
    setTouched(new Set());
    if (Object.keys(problems).length) return;
    const body = personPatchBody(value, person);
    if (Object.keys(body).length === 0) {
      notifications.show({ message: pt('person.nothingChanged') });
      onClose();
      return;
    }
    save.mutate(body);
  };

  return (
    <Modal
      closeButtonProps={{ 'aria-label': t('common.close') }}
      opened={opened}
      onClose={onClose}
      title={pt('person.editTitle')}
      fullScreen={!!phone}
      size="lg"
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {save.isError && !besideInputs(save.error, other.length) && (
            <ErrorAlert error={save.error} title={pt('people.otherErrors')} />
          )}
          {other.length > 0 && (
            <List size="sm" c="red">
              {other.map((f) => (
                <List.Item key={f.path}>
                  {f.path}: {f.message}
                </List.Item>
              ))}
            </List>
          )}
          <PersonFields
            value={value}
            errors={errors}
            onChange={(patch, paths) => {
              setValue((v) => ({ ...v, ...patch }));
              setLocal((l) => {
                const next = { ...l };
                for (const p of paths) delete next[p];
                return next;
              });
              setTouched((s) => new Set([...s, ...paths]));
            }}
          />
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function Duplicates({ person }: { person: PersonDetail }) {
  const pt = usePT();
  const canMerge = useCanP('persons.merge');
  const dups = useQuery({
    queryKey: ['persons', 'duplicates', person.id],
    queryFn: () =>
      api<{ person: Person; items: Duplicate[] }>(`/api/v1/persons/${person.id}/duplicates`),
  });
  return (
    <Card withBorder radius="md" data-testid="person-duplicates">
      <Group gap="xs" mb="sm">
        <Title order={3} size="h4">
          {pt('person.duplicates')}
        </Title>
        {dups.data && dups.data.items.length > 0 && (
          <Badge color="orange" variant="filled" circle>
            {dups.data.items.length}
          </Badge>
        )}
      </Group>
      {dups.isPending && <Loader size="sm" />}
      {dups.isError && <ErrorAlert error={dups.error} />}
      {dups.data &&
        (dups.data.items.length === 0 ? (
          <Text c="dimmed" size="sm">
            {pt('person.noDuplicatesFound')}
          </Text>
        ) : (
          <DuplicateList personId={person.id} items={dups.data.items} canMerge={canMerge} />
        ))}
    </Card>
  );
}

export function PersonDetailPage() {
  const pt = usePT();
  const { id = '' } = useParams();
  const canWrite = useCanP('persons.write');
  const canHouseholds = useCanP('households.read');
  const [editing, setEditing] = useState(false);
  const person = useQuery(personQuery(id));

  if (person.isPending) {
    return (
      <Center p="lg">
        <Loader />
      </Center>
    );
  }
  if (person.isError) {
    return person.error instanceof ApiError &&
      (person.error.status === 404 || person.error.status === 400) ? (
      <NotFoundPage />
    ) : (
      <ErrorAlert error={person.error} />
    );
  }
  const p = person.data;

  return (
    <Stack maw={860}>
      <Anchor component={Link} to="/nguoi-dan" size="sm">
        {pt('person.back')}
      </Anchor>
      {p.mergedFrom && (
        <Alert
          color="blue"
          variant="light"
          title={pt('person.mergedNoteTitle')}
          data-testid="merged-note"
        >
          {pt('person.mergedNote', {
            id: shortId(p.mergedFrom.id),
            at: formatDateTime(p.mergedFrom.mergedAt),
          })}
        </Alert>
      )}
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <div style={{ minWidth: 0 }}>
          <Title order={2} style={{ wordBreak: 'break-word' }}>
            {p.fullName}
          </Title>
          <Text c="dimmed" size="sm">
            {birthText(p)} · {codeLabel(pt, 'sex', p.sex)}
          </Text>
        </div>
        {canWrite && (
          <Button variant="light" onClick={() => setEditing(true)} style={{ flexShrink: 0 }}>
            {pt('person.edit')}
          </Button>
        )}
      </Group>
      <Card withBorder radius="md" data-testid="person-fields">
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md">
          <Field label={pt('field.fullName')}>{p.fullName}</Field>
          <Field label={pt('field.birth')}>{birthText(p)}</Field>
          <Field label={pt('field.sex')}>{codeLabel(pt, 'sex', p.sex)}</Field>
          <Field label={pt('field.idDocument')}>
            {p.idType ? `${codeLabel(pt, 'idTypeLong', p.idType)}: ${p.idNumber}` : idText(pt, p)}
          </Field>
          <Field label={pt('field.phone')}>
            {p.phone ? <Anchor href={`tel:${p.phone}`}>{p.phone}</Anchor> : '—'}
          </Field>
          <Field label={pt('field.nationality')}>{p.nationality}</Field>
          <Field label={pt('field.address')}>
            <AddressText address={p.address} full />
          </Field>
          <Field label={pt('field.workplace')}>{p.workplace ?? '—'}</Field>
          <Field label={pt('person.registeredAt')}>{formatDate(p.createdAt)}</Field>
          <Field label={pt('person.updatedAt')}>{formatDateTime(p.updatedAt)}</Field>
          <Field label={pt('person.recordId')}>
            <Text span ff="monospace" size="sm">
              {p.id}
            </Text>
          </Field>
        </SimpleGrid>
      </Card>

      <Card withBorder radius="md" data-testid="person-households">
        <Title order={3} size="h4" mb="sm">
          {pt('person.households')}
        </Title>
        {p.households.length === 0 ? (
          <Text c="dimmed" size="sm">
            {pt('person.noHouseholds')}
          </Text>
        ) : (
          <Stack gap="xs">
            {p.households.map((h) => (
              <Group key={h.householdId} gap="xs" wrap="wrap">
                <Badge variant="light" tt="none">
                  {codeLabel(pt, 'relation', h.relation)}
                </Badge>
                {canHouseholds ? (
                  <Anchor component={Link} to={`/ho-gia-dinh/${h.householdId}`}>
                    {pt('person.household')} · <VillageName id={h.villageId} />,{' '}
                    <CommuneName code={h.communeCode} />
                  </Anchor>
                ) : (
                  <Text>
                    {pt('person.household')} · <VillageName id={h.villageId} />,{' '}
                    <CommuneName code={h.communeCode} />
                  </Text>
                )}
              </Group>
            ))}
          </Stack>
        )}
      </Card>

      {p.merged.length > 0 && (
        <Card withBorder radius="md" data-testid="person-merged">
          <Title order={3} size="h4" mb="sm">
            {pt('person.merged')}
          </Title>
          <Stack gap={4}>
            {p.merged.map((m) => (
              <Text key={m.id} size="sm">
                {pt('person.mergedItem', { id: shortId(m.id), at: formatDateTime(m.mergedAt) })}
              </Text>
            ))}
          </Stack>
        </Card>
      )}

      <Duplicates person={p} />

      {canWrite && editing && (
        <EditModal person={p} opened={editing} onClose={() => setEditing(false)} />
      )}
    </Stack>
  );
}
