import { Alert, Badge, Box, Button, Center, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { confirmDelete } from '../nav/confirm.tsx';
import { api, ApiError } from '../api.ts';
import { useMe } from '../auth.tsx';
import { ErrorAlert, errorMessage } from '../components/ErrorAlert.tsx';
import { PasswordField } from '../components/PasswordField.tsx';
import { formatDateTime } from '../format.ts';

interface Session {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

/**
 * Issue 10, item 8: change one's own password (with the current one) and see and end one's
 * sessions. After an administrator's reset this is the only page the app shows.
 */
export function PasswordPage() {
  const { t } = useTranslation();
  const me = useMe();
  const forced = !!me.mustChangePassword;
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [mismatch, setMismatch] = useState(false);

  const change = useMutation({
    mutationFn: () =>
      api<{ otherSessionsEnded: number }>('/api/v1/auth/password', {
        method: 'POST',
        body: { currentPassword: current, newPassword: next },
      }),
    onSuccess: async () => {
      notifications.show({ color: 'teal', message: t('account.changed') });
      await queryClient.invalidateQueries({ queryKey: ['me'] });
      await queryClient.invalidateQueries({ queryKey: ['sessions'] });
      setCurrent('');
      setNext('');
      setAgain('');
      if (forced) void navigate('/', { replace: true });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (next !== again) return setMismatch(true);
    setMismatch(false);
    change.mutate();
  };
  const err = change.error instanceof ApiError ? change.error : null;

  return (
    <Center p="md" mih={forced ? '100dvh' : undefined} bg={forced ? 'gray.0' : undefined}>
      <Stack w="100%" maw={440}>
        <Paper withBorder shadow="sm" p="lg" radius="md">
          <form onSubmit={submit} noValidate>
            <Stack>
              <Title order={2} size="h3">
                {t('account.changePassword')}
              </Title>
              {forced && (
                <Alert color="orange" variant="light" data-testid="must-change">
                  {t('account.mustChange')}
                </Alert>
              )}
              {change.error && !err?.fields.length && <ErrorAlert error={change.error} />}
              <PasswordField
                label={t('account.currentPassword')}
                name="currentPassword"
                autoComplete="current-password"
                required
                size="lg"
                value={current}
                error={err?.field('currentPassword')}
                onChange={(e) => setCurrent(e.currentTarget.value)}
              />
              <PasswordField
                label={t('account.newPassword')}
                name="newPassword"
                autoComplete="new-password"
                required
                size="lg"
                description={t('account.rules')}
                value={next}
                error={err?.field('newPassword')}
                onChange={(e) => setNext(e.currentTarget.value)}
              />
              <PasswordField
                label={t('account.confirmPassword')}
                name="confirmPassword"
                autoComplete="new-password"
                required
                size="lg"
                value={again}
                error={mismatch ? t('account.mismatch') : undefined}
                onChange={(e) => setAgain(e.currentTarget.value)}
              />
              <Button
                type="submit"
                size="lg"
                fullWidth
                loading={change.isPending}
                disabled={!current || !next || !again}
              >
                {t('account.save')}
              </Button>
              {!forced && (
                <Button component={Link} to="/" variant="subtle" size="lg">
                  {t('account.back')}
                </Button>
              )}
            </Stack>
          </form>
        </Paper>
        {!forced && <SessionList />}
      </Stack>
    </Center>
  );
}

function SessionList() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const sessions = useQuery({
    queryKey: ['sessions'],
    queryFn: () => api<{ items: Session[] }>('/api/v1/auth/sessions'),
  });
  const end = useMutation({
    mutationFn: (id: string) => api<void>(`/api/v1/auth/sessions/${id}`, { method: 'DELETE' }),
    onSuccess: () => {
      notifications.show({ message: t('account.sessionEnded') });
      void queryClient.invalidateQueries({ queryKey: ['sessions'] });
    },
  });
  return (
    <Paper withBorder p="lg" radius="md">
      <Stack gap="sm">
        <Title order={3} size="h4">
          {t('account.sessions')}
        </Title>
        {sessions.error && <ErrorAlert error={sessions.error} />}
        {end.error && <Text c="red">{errorMessage(end.error, t)}</Text>}
        {sessions.data?.items.map((s) => (
          <Group key={s.id} justify="space-between" wrap="nowrap" data-testid="session">
            <Box miw={0}>
              <Text size="sm" truncate="end" title={s.userAgent ?? ''}>
                {s.userAgent || '—'}
              </Text>
              <Text size="xs" c="dimmed">
                {s.ip} · {t('account.sessionSeen', { at: formatDateTime(s.lastSeenAt) })}
              </Text>
              <Text size="xs" c="dimmed">
                {t('account.sessionStarted', { at: formatDateTime(s.createdAt) })}
              </Text>
            </Box>
            {s.current ? (
              <Badge variant="light" style={{ flexShrink: 0 }}>
                {t('account.sessionCurrent')}
              </Badge>
            ) : (
              <Button
                variant="default"
                size="sm"
                mih={44}
                style={{ flexShrink: 0 }}
                loading={end.isPending && end.variables === s.id}
                // issue 16: ending a session asks first (nav/confirm.tsx)
                onClick={() =>
                  confirmDelete({
                    message: t('account.sessionEndConfirm', { device: s.userAgent || s.ip }),
                    confirmLabel: t('account.sessionEnd'),
                    onConfirm: () => end.mutate(s.id),
                  })
                }
              >
                {t('account.sessionEnd')}
              </Button>
            )}
          </Group>
        ))}
      </Stack>
    </Paper>
  );
}
