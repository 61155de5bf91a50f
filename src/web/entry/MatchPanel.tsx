/**
 * Issue 10, item 2: a declaration made without login is not linked to anyone registered. At the
 * checkpoint the officer, with the person and their papers in front of them, sees what was
 * declared beside the registered people holding that ID number and confirms who it is (or that
 * it is someone new). Both the look and the confirmation are audited by the server.
 */
import { Alert, Button, Group, Paper, Stack, Text } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { errorMessage } from '../components/ErrorAlert.tsx';

interface Person {
  fullName: string;
  birthYear: number;
  idNumber: string | null;
  phone: string | null;
}
interface Match {
  registryMatch: 'pending' | 'linked' | 'confirmed' | 'new';
  declared: Person & { communeCode: string };
  candidates: (Person & { id: string; communeName: string | null })[];
}

const line = (p: Person) =>
  [`${p.fullName} (${p.birthYear})`, p.idNumber, p.phone].filter(Boolean).join(' · ');

export function MatchPanel({ code }: { code: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const match = useQuery({
    queryKey: ['declaration-match', code],
    queryFn: () => api<Match>(`/api/v1/declarations/${code}/match`),
    enabled: open,
  });
  const confirm = useMutation({
    mutationFn: (personId: string | null) =>
      api(`/api/v1/declarations/${code}/match`, { method: 'POST', body: { personId } }),
  });
  if (confirm.isSuccess)
    return (
      <Alert color="teal" variant="light" data-testid="match-done">
        {t('entry.match.done')}
      </Alert>
    );
  return (
    <Paper withBorder p="sm" radius="md" data-testid="match-panel">
      <Stack gap="xs">
        <Text size="sm" fw={600}>
          {t('entry.match.title')}
        </Text>
        <Text size="sm">{t('entry.match.pending')}</Text>
        {!open && (
          <Button variant="light" mih={44} onClick={() => setOpen(true)}>
            {t('entry.match.open')}
          </Button>
        )}
        {match.data && (
          <>
            <Text size="xs" c="dimmed">
              {t('entry.match.declared')}
            </Text>
            <Text size="sm" fw={600}>
              {line(match.data.declared)}
            </Text>
            <Text size="xs" c="dimmed">
              {t('entry.match.registered')}
            </Text>
            {match.data.candidates.length === 0 && <Text size="sm">{t('entry.match.none')}</Text>}
            {match.data.candidates.map((c) => (
              <Group key={c.id} justify="space-between" wrap="wrap" gap="xs">
                <Text size="sm">
                  {line(c)}
                  {c.communeName ? ` · ${c.communeName}` : ''}
                </Text>
                <Button
                  size="sm"
                  mih={44}
                  loading={confirm.isPending}
                  onClick={() => confirm.mutate(c.id)}
                >
                  {t('entry.match.confirm')}
                </Button>
              </Group>
            ))}
            <Button
              variant="default"
              mih={44}
              loading={confirm.isPending}
              onClick={() => confirm.mutate(null)}
            >
              {t('entry.match.isNew')}
            </Button>
          </>
        )}
        {(match.error || confirm.error) && (
          <Alert color="red" variant="light">
            {errorMessage(match.error ?? confirm.error, t)}
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}
