/**
 * Entries decided on the phone while offline, once the server has answered (issue 16 item 1):
 * each shows the server's decision, and the phone's beside it where the two differ (the rule set
 * or the epidemic areas changed on the server meanwhile). Kept for the time the page is open.
 */
import { Paper, Stack, Text, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../format.ts';
import type { EntryDraft } from './checkpoint-model.ts';
import { DecisionComparison, ProvisionalView } from './ClassificationView.tsx';
import type { OutboxItem, SentEvent } from './outbox.ts';
import { differs, type Provisional } from './provisional.ts';
import type { Entry } from './types.ts';

interface Synced {
  clientId: string;
  name: string | null;
  provisional: Provisional;
  entry: Entry;
}

/** The entries sent since the page opened that carried a decision made on the phone. */
export function useSynced() {
  const [events, setEvents] = useState<Synced[]>([]);
  const add = useMemo(
    () => (e: SentEvent) => {
      const draft = e.item.draft as EntryDraft | undefined;
      if (!draft?.provisional) return;
      const entry = e.response as Entry;
      const s: Synced = {
        clientId: e.item.clientId,
        name: entry.person?.fullName ?? draft.name ?? null,
        provisional: draft.provisional,
        entry,
      };
      setEvents((all) => [s, ...all.filter((x) => x.clientId !== s.clientId)].slice(0, 20));
    },
    [],
  );
  return useMemo(() => ({ events, add }), [events, add]);
}

export function SyncedPanel({ events, skip }: { events: Synced[]; skip?: string }) {
  const { t } = useTranslation();
  const shown = events.filter((e) => e.clientId !== skip);
  if (!shown.length) return null;
  const changed = shown.filter((e) => {
    const c = e.entry.classification;
    return differs(e.provisional, c && { ...c, action: c.automatic.action });
  }).length;
  return (
    <Paper withBorder radius="md" p={{ base: 'sm', sm: 'md' }} data-testid="synced">
      <Stack gap="sm">
        <Title order={3} size="h4">
          {t('entry.provisional.syncedTitle', { count: shown.length })}
        </Title>
        {changed > 0 && (
          <Text size="sm" c="orange.9" fw={600} data-testid="synced-changed-count">
            {t('entry.provisional.syncedChanged', { count: changed })}
          </Text>
        )}
        {shown.map((s) => (
          <Paper key={s.clientId} withBorder radius="sm" p="xs" data-testid="synced-item">
            <Text fw={700}>{s.name ?? '—'}</Text>
            <Text size="xs" c="dimmed" mb={4}>
              {formatDateTime(s.entry.at)}
            </Text>
            <DecisionComparison p={s.provisional} entry={s.entry} />
          </Paper>
        ))}
      </Stack>
    </Paper>
  );
}

/** Under an unsent entry in the outbox: the name the phone knows and its provisional decision. */
export function OutboxEntryExtra({ item }: { item: OutboxItem }) {
  if (item.kind !== 'entry') return null;
  const draft = item.draft as EntryDraft | undefined;
  if (!draft) return null;
  return (
    <Stack gap={2} mt={4}>
      {draft.name && (
        <Text size="sm" fw={700} data-testid="outbox-name">
          {draft.name}
        </Text>
      )}
      {draft.provisional && <ProvisionalView p={draft.provisional} compact />}
    </Stack>
  );
}
