/**
 * /tra-cuu-ket-qua — public (no login): a citizen looks up their own result with the lookup
 * code on the slip handed to them at sampling (issue 10: 80 random bits, nothing that can be
 * derived or enumerated). The code goes in the request body, never in a URL; a link from the
 * slip's QR carries it after '#', which the browser does not send.
 */
import {
  Alert,
  Anchor,
  Badge,
  Box,
  Button,
  Group,
  Paper,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { api, ApiError } from '../api.ts';
import { errorMessage } from '../components/ErrorAlert.tsx';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';
import { normaliseLookupCode } from '../../domain/lookup.ts';
import { formatDateTime } from '../format.ts';
import { codeLabel, useBi, useTT } from './t.ts';
import type { PublicResult } from './types.ts';

const COLOR = { positive: 'red', negative: 'teal', invalid: 'yellow' } as const;

/** A slip's link opened while the page is showing (a new '#ma=') starts the form afresh. */
export function LookupPage() {
  return <LookupForm key={useLocation().hash} />;
}

function LookupForm() {
  const tt = useTT();
  const bi = useBi();
  const { t } = useTranslation();
  const { hash } = useLocation();
  const [code, setCode] = useState(new URLSearchParams(hash.slice(1)).get('ma') ?? '');
  const [tried, setTried] = useState(false);
  const normalised = normaliseLookupCode(code);

  const lookup = useMutation({
    mutationFn: () =>
      api<PublicResult>('/api/v1/public/results/lookup', {
        method: 'POST',
        body: { code: normalised },
      }),
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (normalised) lookup.mutate();
  };

  const r = lookup.data;
  const notFound = lookup.error instanceof ApiError && lookup.error.status === 404;
  const tooMany = lookup.error instanceof ApiError && lookup.error.status === 429;

  return (
    <Box bg="gray.0" mih="100dvh">
      <Box maw={560} mx="auto" p={{ base: 'sm', sm: 'md' }}>
        <Group justify="space-between" mb="sm" wrap="nowrap">
          <Anchor component={Link} to="/tra-cuu-ket-qua" underline="never">
            <Title order={3} c="teal.8" style={{ letterSpacing: '-0.02em' }}>
              {t('app.name')}
            </Title>
          </Anchor>
          <LanguageSwitch />
        </Group>
        <Stack>
          <div>
            <Title order={1} size="h2">
              {tt('lookup.title')}
            </Title>
            <Text c="dimmed" size="sm">
              {tt('lookup.subtitle')}
            </Text>
          </div>
          <Paper withBorder p="md" radius="md" component="form" onSubmit={submit} noValidate>
            <Stack>
              <TextInput
                label={tt('lookup.code')}
                description={tt('lookup.codeHint')}
                placeholder="0A1B-2C3D-4E5F-6A7B-8C9D"
                value={code}
                onChange={(e) => setCode(e.currentTarget.value.toUpperCase())}
                autoCapitalize="characters"
                autoComplete="off"
                size="md"
                withAsterisk
                styles={{ input: { fontFamily: 'monospace', letterSpacing: '0.08em' } }}
                error={tried && !normalised ? tt('lookup.codeInvalid') : undefined}
              />
              <Button type="submit" size="md" loading={lookup.isPending}>
                {tt('lookup.submit')}
              </Button>
            </Stack>
          </Paper>
          {lookup.isError && (
            <Alert
              color={notFound ? 'orange' : 'red'}
              variant="light"
              role="alert"
              data-testid="lookup-error"
            >
              {notFound
                ? tt('lookup.notFound')
                : tooMany
                  ? tt('lookup.tooMany')
                  : errorMessage(lookup.error, t)}
            </Alert>
          )}
          {r && !lookup.isError && (
            <Paper withBorder p="md" radius="md" data-testid="lookup-result">
              <Stack gap="xs" align="center">
                <Text size="sm" c="dimmed">
                  {bi(r.testType.name)}
                </Text>
                {r.result ? (
                  <Badge
                    size="xl"
                    color={COLOR[r.result]}
                    variant={r.result === 'positive' ? 'filled' : 'light'}
                    h="auto"
                    py={8}
                  >
                    {codeLabel(tt, 'result', r.result)}
                  </Badge>
                ) : (
                  <Badge size="xl" color="gray" variant="light" h="auto" py={8}>
                    {tt('result.pending')}
                  </Badge>
                )}
                {r.sampledAt && (
                  <Text size="sm">
                    {tt('lookup.sampledAt', { at: formatDateTime(r.sampledAt) })}
                  </Text>
                )}
                {r.resultedAt && (
                  <Text size="sm">
                    {tt('lookup.resultedAt', { at: formatDateTime(r.resultedAt) })}
                  </Text>
                )}
                {r.result === 'positive' && (
                  <Alert color="red" variant="light" w="100%">
                    {tt('lookup.positiveAdvice')}
                  </Alert>
                )}
                {r.status === 'pending' && (
                  <Text size="sm" c="dimmed" ta="center">
                    {tt('lookup.pendingAdvice')}
                  </Text>
                )}
              </Stack>
            </Paper>
          )}
          <Text size="xs" c="dimmed" ta="center">
            {tt('lookup.privacy')}
          </Text>
        </Stack>
      </Box>
    </Box>
  );
}
