import { Alert, Button, Group, List, Modal, Stack, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../api.ts';
import { useMe } from '../auth.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { fieldErrors, unshownFields, uuid } from '../util.ts';
import { useCanP } from './access.tsx';
import { DuplicateList, PersonCard } from './components/PersonCards.tsx';
import {
  checkPersonForm,
  emptyPersonForm,
  besideInputs,
  PERSON_FORM_PATHS,
  PersonFields,
  personCreateBody,
  type PersonFormValues,
} from './components/PersonForm.tsx';
import { usePT } from './t.ts';
import type { CreatedPerson } from './types.ts';

function CreateForm({
  onCreated,
  onCancel,
}: {
  onCreated: (p: CreatedPerson) => void;
  onCancel: () => void;
}) {
  const pt = usePT();
  const { t } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  const [clientId] = useState(uuid);
  const [value, setValue] = useState<PersonFormValues>(() => emptyPersonForm(me));
  const [local, setLocal] = useState<Record<string, string | undefined>>({});
  const [touched, setTouched] = useState<Set<string>>(new Set());

  const create = useMutation({
    mutationFn: () =>
      api<CreatedPerson>('/api/v1/persons', {
        method: 'POST',
        body: personCreateBody(value, clientId),
      }),
    onSuccess: (p) => {
      void queryClient.invalidateQueries({ queryKey: ['persons'] });
      onCreated(p);
    },
  });

  // Server errors stay under their input until that input is changed.
  const server = fieldErrors(create.error);
  for (const path of touched) delete server[path];
  const errors = { ...server, ...local };
  const other = unshownFields(create.error, (p) => PERSON_FORM_PATHS.includes(p));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const problems = checkPersonForm(value, pt, t('common.required'), t('common.invalidDate'));
    setLocal(problems);
    setTouched(new Set());
    if (Object.keys(problems).length === 0) create.mutate();
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        {create.isError && !besideInputs(create.error, other.length) && (
          <ErrorAlert error={create.error} title={pt('people.otherErrors')} />
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
          <Button variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={create.isPending}>
            {pt('people.add')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** What the server found on create: the likely duplicates, with why and a way to merge. */
function CreatedWithDuplicates({
  person,
  onAnother,
  onClose,
}: {
  person: CreatedPerson;
  onAnother: () => void;
  onClose: () => void;
}) {
  const pt = usePT();
  const canMerge = useCanP('persons.merge');
  return (
    <Stack>
      <Alert
        color="orange"
        variant="light"
        title={pt('people.duplicatesFound', { count: person.duplicates.length })}
        data-testid="duplicates-alert"
      >
        {pt('people.duplicatesFoundText')}
      </Alert>
      <Text size="sm" fw={600}>
        {pt('people.newRecord')}
      </Text>
      <PersonCard person={person} />
      <Text size="sm" fw={600}>
        {pt('people.mayMatch')}
      </Text>
      <DuplicateList
        personId={person.id}
        items={person.duplicates}
        canMerge={canMerge}
        onNavigate={onClose}
      />
      <Group justify="space-between" mt="sm">
        <Button variant="default" onClick={onAnother}>
          {pt('people.addAnother')}
        </Button>
        <Button component={Link} to={`/nguoi-dan/${person.id}`} onClick={onClose}>
          {pt('people.openCreated')}
        </Button>
      </Group>
    </Stack>
  );
}

export function PersonCreateModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const pt = usePT();
  const { t } = useTranslation();
  const phone = useMediaQuery('(max-width: 48em)');
  const [created, setCreated] = useState<CreatedPerson | null>(null);
  // A new form (and a new clientId) every time.
  const [formKey, setFormKey] = useState(0);

  const reset = () => {
    setCreated(null);
    setFormKey((k) => k + 1);
  };
  const close = () => {
    reset();
    onClose();
  };

  return (
    <Modal
      closeButtonProps={{ 'aria-label': t('common.close') }}
      opened={opened}
      onClose={close}
      title={
        created ? pt('people.createdTitle', { name: created.fullName }) : pt('people.createTitle')
      }
      fullScreen={!!phone}
      size="lg"
    >
      {created ? (
        <CreatedWithDuplicates person={created} onAnother={reset} onClose={close} />
      ) : (
        <CreateForm
          key={formKey}
          onCancel={close}
          onCreated={(p) => {
            notifications.show({
              color: 'teal',
              message: pt('people.created', { name: p.fullName }),
            });
            if (p.duplicates.length > 0) setCreated(p);
            else close();
          }}
        />
      )}
    </Modal>
  );
}
