import {
  Alert,
  Box,
  Button,
  Center,
  Group,
  Paper,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { api, ApiError, type Me } from '../api.ts';
import { meQuery } from '../auth.tsx';
import { errorMessage } from '../components/ErrorAlert.tsx';
import { PasswordField } from '../components/PasswordField.tsx';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';
import { landingOf } from '../nav/menu.ts';

/** Only same-site paths, never "//evil.example". */
function safeNext(next: string | null): string | null {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : null;
}

export function LoginPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const me = useQuery(meQuery);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');

  const login = useMutation({
    mutationFn: () =>
      api<{ user: Me }>('/api/v1/auth/login', {
        method: 'POST',
        body: { username: username.trim(), password },
      }),
    onSuccess: ({ user }) => {
      queryClient.clear();
      queryClient.setQueryData(['me'], user);
      // Issue 16: without a page to return to, each role opens its daily page.
      void navigate(next ?? landingOf(user), { replace: true });
    },
  });

  if (me.data) return <Navigate to={next ?? landingOf(me.data)} replace />;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!username.trim() || !password) return;
    login.mutate();
  };
  const err = login.error;

  return (
    <Center mih="100dvh" p="md" bg="gray.0">
      <Box w="100%" maw={400}>
        <Group justify="space-between" mb="md" wrap="nowrap">
          <div>
            <Title order={1} c="teal.8" style={{ letterSpacing: '-0.02em' }}>
              {t('app.name')}
            </Title>
            <Text size="sm" c="dimmed">
              {t('app.tagline')}
            </Text>
          </div>
          <LanguageSwitch />
        </Group>
        <Paper withBorder shadow="sm" p="lg" radius="md">
          <form onSubmit={submit} noValidate>
            <Stack>
              <Title order={2} size="h3">
                {t('auth.title')}
              </Title>
              {err && (
                <Alert
                  color="red"
                  variant="light"
                  role="alert"
                  title={
                    err instanceof ApiError && err.status === 429
                      ? t('auth.throttled')
                      : t('auth.failed')
                  }
                >
                  {errorMessage(err, t)}
                </Alert>
              )}
              <TextInput
                label={t('auth.username')}
                name="username"
                autoComplete="username"
                autoCapitalize="none"
                autoCorrect="off"
                spellCheck={false}
                required
                value={username}
                onChange={(e) => setUsername(e.currentTarget.value)}
              />
              <PasswordField
                label={t('auth.password')}
                name="password"
                autoComplete="current-password"
                required
                value={password}
                onChange={(e) => setPassword(e.currentTarget.value)}
              />
              <Button
                type="submit"
                fullWidth
                loading={login.isPending}
                disabled={!username.trim() || !password}
              >
                {t('auth.login')}
              </Button>
            </Stack>
          </form>
        </Paper>
        <Paper withBorder p="md" radius="md" mt="md">
          <Text size="sm" c="dimmed">
            {t('entry.declare.subtitle')}
          </Text>
          <Button component={Link} to="/khai-bao" variant="light" fullWidth mt="sm">
            {t('entry.declare.title')}
          </Button>
        </Paper>
      </Box>
    </Center>
  );
}
