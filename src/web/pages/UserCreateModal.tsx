import {
  Alert,
  Button,
  Code,
  CopyButton,
  Group,
  List,
  Modal,
  Select,
  Stack,
  TextInput,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type User } from '../api.ts';
import { useMe } from '../auth.tsx';
import { PasswordField } from '../components/PasswordField.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import {
  adjustForRole,
  grantableLevels,
  initialJurisdiction,
  JurisdictionPicker,
  toJurisdictionInput,
  type JurisdictionValue,
} from '../components/JurisdictionPicker.tsx';
import { useRoleLabel, useRoles } from '../hooks.ts';
import { fieldErrors, unshownFields, uuid } from '../util.ts';

const FORM_PATHS = ['username', 'fullName', 'phone', 'password', 'role'];
const isShown = (path: string) => FORM_PATHS.includes(path) || path.startsWith('jurisdiction');

interface Created {
  user: User;
  generatedPassword?: string;
}

function CreateForm({ onDone, onCancel }: { onDone: (c: Created) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const roles = useRoles();
  const roleLabel = useRoleLabel();
  const queryClient = useQueryClient();
  const [clientId] = useState(uuid);
  const [username, setUsername] = useState('');
  const [fullName, setFullName] = useState('');
  const [phone, setPhone] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<string | null>(null);
  const [jurisdiction, setJurisdiction] = useState<JurisdictionValue>(() =>
    initialJurisdiction(me.scope),
  );
  const [local, setLocal] = useState<Record<string, string | undefined>>({});
  const roleInfo = roles.data?.find((r) => r.role === role);

  const create = useMutation({
    mutationFn: () =>
      api<Created>('/api/v1/users', {
        method: 'POST',
        body: {
          username: username.trim(),
          fullName: fullName.trim(),
          phone: phone.trim() || undefined,
          password: password || undefined,
          role,
          jurisdiction: toJurisdictionInput(jurisdiction),
          clientId,
        },
      }),
    onSuccess: (created) => {
      void queryClient.invalidateQueries({ queryKey: ['users'] });
      onDone(created);
    },
  });

  const server = fieldErrors(create.error);
  const errors = { ...server, ...local };
  const clear = (path: string) => setLocal((l) => ({ ...l, [path]: undefined }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const missing: Record<string, string> = {};
    if (!username.trim()) missing.username = t('common.required');
    if (!fullName.trim()) missing.fullName = t('common.required');
    if (!role) missing.role = t('common.required');
    else if (!jurisdiction.level) missing['jurisdiction.level'] = t('common.required');
    if (password && password.length < 10) missing.password = t('users.passwordRule');
    setLocal(missing);
    if (Object.keys(missing).length === 0) create.mutate();
  };

  // Roles an admin may hand out: those with at least one level inside the admin's scope.
  const roleOptions = (roles.data ?? [])
    .filter((r) => grantableLevels(r, me.scope).length > 0)
    .map((r) => ({ value: r.role, label: roleLabel(r.role) }));
  const other = unshownFields(create.error, isShown);

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        {create.isError && <ErrorAlert error={create.error} title={t('users.otherErrors')} />}
        {other.length > 0 && (
          <List size="sm" c="red">
            {other.map((f) => (
              <List.Item key={f.path}>
                {f.path}: {f.message}
              </List.Item>
            ))}
          </List>
        )}
        <TextInput
          label={t('users.username')}
          value={username}
          onChange={(e) => {
            setUsername(e.currentTarget.value);
            clear('username');
          }}
          error={errors.username}
          autoCapitalize="none"
          autoCorrect="off"
          spellCheck={false}
          autoComplete="off"
          required
          data-autofocus
        />
        <TextInput
          label={t('users.fullName')}
          value={fullName}
          onChange={(e) => {
            setFullName(e.currentTarget.value);
            clear('fullName');
          }}
          error={errors.fullName}
          required
        />
        <TextInput
          label={t('users.phone')}
          type="tel"
          inputMode="tel"
          value={phone}
          onChange={(e) => setPhone(e.currentTarget.value)}
          error={errors.phone}
        />
        <PasswordField
          label={t('users.password')}
          description={t('users.passwordHint')}
          value={password}
          onChange={(e) => {
            setPassword(e.currentTarget.value);
            clear('password');
          }}
          error={errors.password}
          autoComplete="new-password"
        />
        <Select
          label={t('users.role')}
          placeholder={t('users.pick')}
          data={roleOptions}
          value={role}
          onChange={(r) => {
            setRole(r);
            clear('role');
            setJurisdiction((j) =>
              adjustForRole(
                j,
                roles.data?.find((x) => x.role === r),
                me.scope,
              ),
            );
          }}
          error={errors.role}
          required
          searchable
          allowDeselect={false}
          data-testid="user-role"
        />
        <JurisdictionPicker
          value={jurisdiction}
          onChange={(j) => {
            setJurisdiction(j);
            clear('jurisdiction.level');
          }}
          role={roleInfo}
          actorScope={me.scope}
          errors={errors}
        />
        <Group justify="flex-end" mt="sm">
          <Button variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={create.isPending}>
            {t('users.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The generated password, shown once, big enough to copy by hand. */
export function GeneratedPassword({
  username,
  password,
  onDone,
}: {
  username: string;
  password: string;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Stack>
      <Alert color="yellow" variant="light" title={t('users.created', { username })}>
        {t('users.generatedText', { username })}
      </Alert>
      <Code
        block
        fz={{ base: 20, sm: 24 }}
        ta="center"
        fw={700}
        style={{ letterSpacing: '0.05em', wordBreak: 'break-all' }}
        data-testid="generated-password"
      >
        {password}
      </Code>
      <Group justify="space-between">
        <CopyButton value={password}>
          {({ copied, copy }) => (
            <Button variant="light" color={copied ? 'teal' : 'blue'} onClick={copy}>
              {copied ? t('common.copied') : t('common.copy')}
            </Button>
          )}
        </CopyButton>
        <Button onClick={onDone}>{t('users.generatedDone')}</Button>
      </Group>
    </Stack>
  );
}

export function UserCreateModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const phone = useMediaQuery('(max-width: 48em)');
  const [created, setCreated] = useState<Created | null>(null);
  // A new form (and a new clientId) every time the modal opens.
  const [formKey, setFormKey] = useState(0);

  const close = () => {
    setCreated(null);
    setFormKey((k) => k + 1);
    onClose();
  };

  return (
    <Modal
      closeButtonProps={{ 'aria-label': t('common.close') }}
      opened={opened}
      onClose={created?.generatedPassword ? () => {} : close}
      closeOnClickOutside={!created?.generatedPassword}
      closeOnEscape={!created?.generatedPassword}
      withCloseButton={!created?.generatedPassword}
      title={created?.generatedPassword ? t('users.generatedTitle') : t('users.create')}
      fullScreen={!!phone}
      size="lg"
    >
      {created?.generatedPassword ? (
        <GeneratedPassword
          username={created.user.username}
          password={created.generatedPassword}
          onDone={close}
        />
      ) : (
        <CreateForm
          key={formKey}
          onCancel={close}
          onDone={(c) => {
            if (c.generatedPassword) {
              setCreated(c);
              return;
            }
            notifications.show({
              color: 'teal',
              message: t('users.created', { username: c.user.username }),
            });
            close();
          }}
        />
      )}
    </Modal>
  );
}
