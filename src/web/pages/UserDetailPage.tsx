import {
  Alert,
  Anchor,
  Button,
  Card,
  Center,
  Group,
  Loader,
  Modal,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, ApiError, type User } from '../api.ts';
import { useCan, useMe } from '../auth.tsx';
import { PasswordField } from '../components/PasswordField.tsx';
import { LoginBlocksCard } from '../account/LoginBlocksCard.tsx'; // issue 10 item 6
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import {
  adjustForRole,
  grantableLevels,
  JurisdictionPicker,
  toJurisdictionInput,
  type JurisdictionValue,
} from '../components/JurisdictionPicker.tsx';
import { formatDate } from '../format.ts';
import { useRoleLabel, useRoles } from '../hooks.ts';
import { fieldErrors, randomPassword } from '../util.ts';
import { NotFoundPage } from './NotFoundPage.tsx';
import { StatusBadge } from './UsersPage.tsx';

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text>{children}</Text>
    </div>
  );
}

const scopeValue = (u: User): JurisdictionValue => ({
  level: u.scope.level,
  provinceCode: u.scope.provinceCode,
  districtCode: u.scope.districtCode,
  communeCode: u.scope.communeCode,
  villageId: u.scope.villageId,
  siteKind: null,
  siteId: u.scope.siteId,
});

function EditForm({ user, self }: { user: User; self: boolean }) {
  const { t } = useTranslation();
  const me = useMe();
  const roles = useRoles();
  const roleLabel = useRoleLabel();
  const queryClient = useQueryClient();
  const [fullName, setFullName] = useState(user.fullName);
  const [phone, setPhone] = useState(user.phone ?? '');
  const [role, setRole] = useState(user.role);
  const [moving, setMoving] = useState(false);
  const [jurisdiction, setJurisdiction] = useState<JurisdictionValue>(() => scopeValue(user));
  const roleInfo = roles.data?.find((r) => r.role === role);

  const save = useMutation({
    mutationFn: () => {
      const body: Record<string, unknown> = {};
      if (fullName.trim() !== user.fullName) body.fullName = fullName.trim();
      if ((phone.trim() || null) !== user.phone) body.phone = phone.trim() || null;
      if (role !== user.role) body.role = role;
      if (moving) body.jurisdiction = toJurisdictionInput(jurisdiction);
      return api<User>(`/api/v1/users/${user.id}`, { method: 'PATCH', body });
    },
    onSuccess: (updated) => {
      queryClient.setQueryData(['user', user.id], updated);
      void queryClient.invalidateQueries({ queryKey: ['users'] });
      setMoving(false);
      notifications.show({ color: 'teal', message: t('common.saved') });
    },
  });
  const errors = fieldErrors(save.error);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        {save.isError && <ErrorAlert error={save.error} />}
        <TextInput
          label={t('users.fullName')}
          value={fullName}
          onChange={(e) => setFullName(e.currentTarget.value)}
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
        <Select
          label={t('users.role')}
          data={(roles.data ?? [])
            .filter((r) => r.role === user.role || grantableLevels(r, me.scope).length > 0)
            .map((r) => ({ value: r.role, label: roleLabel(r.role) }))}
          value={role}
          onChange={(r) => {
            if (!r) return;
            setRole(r);
            const info = roles.data?.find((x) => x.role === r);
            if (info && !info.levels.includes(user.scope.level)) setMoving(true);
            setJurisdiction((j) => adjustForRole(j, info, me.scope));
          }}
          error={errors.role}
          disabled={self}
          allowDeselect={false}
        />
        <Switch
          label={t('users.changeJurisdiction')}
          checked={moving}
          onChange={(e) => setMoving(e.currentTarget.checked)}
          disabled={self}
        />
        {moving && (
          <JurisdictionPicker
            value={jurisdiction}
            onChange={setJurisdiction}
            role={roleInfo}
            actorScope={me.scope}
            errors={errors}
          />
        )}
        <Group justify="flex-end">
          <Button type="submit" loading={save.isPending}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function AccountActions({ user, self }: { user: User; self: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const [password, setPassword] = useState('');
  const [visible, setVisible] = useState(false);

  const patch = (body: Record<string, unknown>) =>
    api<User>(`/api/v1/users/${user.id}`, { method: 'PATCH', body });
  const onUpdated = (updated: User) => {
    queryClient.setQueryData(['user', user.id], updated);
    void queryClient.invalidateQueries({ queryKey: ['users'] });
  };

  const toggle = useMutation({
    mutationFn: () => patch({ disabled: !user.disabled }),
    onSuccess: (updated) => {
      onUpdated(updated);
      setConfirming(false);
      notifications.show({
        color: 'teal',
        message: updated.disabled ? t('users.disabledDone') : t('users.enabledDone'),
      });
    },
  });
  const reset = useMutation({
    mutationFn: () => patch({ password }),
    onSuccess: (updated) => {
      onUpdated(updated);
      notifications.show({ color: 'teal', message: t('users.resetDone') });
    },
  });
  const resetErrors = fieldErrors(reset.error);

  return (
    <Stack gap="lg">
      <Stack gap="xs">
        <Text fw={600}>{t('users.account')}</Text>
        {toggle.isError && <ErrorAlert error={toggle.error} />}
        <Group>
          <StatusBadge disabled={user.disabled} />
          {user.disabled ? (
            <Button color="teal" onClick={() => toggle.mutate()} loading={toggle.isPending}>
              {t('users.enable')}
            </Button>
          ) : (
            <Button color="red" variant="light" onClick={() => setConfirming(true)} disabled={self}>
              {t('users.disable')}
            </Button>
          )}
        </Group>
      </Stack>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          reset.mutate();
        }}
        noValidate
      >
        <Stack gap="xs">
          <Text fw={600}>{t('users.resetPassword')}</Text>
          {reset.isError && !resetErrors.password && <ErrorAlert error={reset.error} />}
          {reset.isSuccess && (
            <Alert color="teal" variant="light">
              {t('users.resetDone')}
            </Alert>
          )}
          <PasswordField
            label={t('users.newPassword')}
            description={t('users.passwordRule')}
            value={password}
            onChange={(e) => {
              setPassword(e.currentTarget.value);
              reset.reset();
            }}
            visible={visible}
            onVisibilityChange={setVisible}
            error={resetErrors.password}
            autoComplete="new-password"
            maw={420}
          />
          <Group>
            <Button
              variant="default"
              onClick={() => {
                setPassword(randomPassword());
                setVisible(true);
                reset.reset();
              }}
            >
              {t('users.generatePassword')}
            </Button>
            <Button type="submit" disabled={password.length === 0} loading={reset.isPending}>
              {t('users.resetPassword')}
            </Button>
          </Group>
        </Stack>
      </form>
      <Modal opened={confirming} onClose={() => setConfirming(false)} title={t('users.disable')}>
        <Stack>
          <Text>{t('users.disableConfirm', { username: user.username })}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)}>
              {t('common.cancel')}
            </Button>
            <Button color="red" onClick={() => toggle.mutate()} loading={toggle.isPending}>
              {t('users.disable')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

export function UserDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const me = useMe();
  const canManage = useCan('users.manage');
  const roleLabel = useRoleLabel();
  const user = useQuery({
    queryKey: ['user', id],
    queryFn: () => api<User>(`/api/v1/users/${encodeURIComponent(id)}`),
  });

  if (user.isPending) {
    return (
      <Center p="lg">
        <Loader />
      </Center>
    );
  }
  if (user.isError) {
    return user.error instanceof ApiError && user.error.status === 404 ? (
      <NotFoundPage />
    ) : (
      <ErrorAlert error={user.error} />
    );
  }
  const u = user.data;
  const self = u.id === me.id;

  return (
    <Stack maw={860}>
      <Anchor component={Link} to="/users" size="sm">
        ← {t('users.title')}
      </Anchor>
      <Group justify="space-between" align="flex-start">
        <div style={{ minWidth: 0 }}>
          <Title order={2}>{u.fullName}</Title>
          <Text ff="monospace" c="dimmed">
            {u.username}
          </Text>
        </div>
        <StatusBadge disabled={u.disabled} />
      </Group>
      <Card withBorder radius="md">
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <Field label={t('users.role')}>{roleLabel(u.role, u.roleLabel)}</Field>
          <Field label={t('users.jurisdiction')}>{u.scopeLabel}</Field>
          <Field label={t('users.phone')}>{u.phone ?? t('common.none')}</Field>
          <Field label={t('users.createdAt')}>{formatDate(u.createdAt)}</Field>
        </SimpleGrid>
      </Card>
      {canManage && (
        <>
          {self && (
            <Alert color="blue" variant="light">
              {t('users.self')}
            </Alert>
          )}
          <Card withBorder radius="md">
            <Title order={3} size="h4" mb="sm">
              {t('users.edit')}
            </Title>
            <EditForm key={u.id + u.role + u.scopeLabel} user={u} self={self} />
          </Card>
          <Card withBorder radius="md">
            <AccountActions user={u} self={self} />
          </Card>
          {/* issue 10 item 6: failed logins and the holds on them */}
          <LoginBlocksCard userId={u.id} />
        </>
      )}
    </Stack>
  );
}
