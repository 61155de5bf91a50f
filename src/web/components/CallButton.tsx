/**
 * A masked phone with a "call" button (issue 10 item 10). Lists show the last 4 digits only; the
 * button reads the whole number from the person's record — a read the server audits — and hands
 * it to the phone's dialler. Field staff still call in one tap; a list no longer holds numbers.
 */
import { Button, Group, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';

export function CallButton({ personId, masked }: { personId: string; masked: string | null }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  if (!masked) return null;
  const call = async () => {
    setBusy(true);
    try {
      const p = await api<{ phone: string | null }>(`/api/v1/persons/${personId}`);
      if (!p.phone) throw new Error('no phone');
      window.location.href = `tel:${p.phone}`;
    } catch {
      notifications.show({ color: 'red', message: t('common.callFailed') });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Group gap="xs" wrap="nowrap">
      <Text size="sm" c="dimmed" data-testid="masked-phone">
        {masked}
      </Text>
      <Button size="compact-sm" variant="light" loading={busy} onClick={call}>
        {t('common.call')}
      </Button>
    </Group>
  );
}
