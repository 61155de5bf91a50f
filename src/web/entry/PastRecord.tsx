/**
 * "Entered from paper" (issue 13 item 7): a passage that happened days or weeks ago, written in
 * the checkpoint's book while the network or the phone was down, is entered with its own time
 * and the reason it comes late. The server accepts it from an officer with `records.backdate`
 * and audits the reason.
 */
import { Stack, Switch, Textarea, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useMe } from '../auth.tsx';

export interface PastRecord {
  on: boolean;
  /** Local date and time as the datetime-local input writes it: 'YYYY-MM-DDTHH:mm'. */
  at: string;
  reason: string;
}

export const noPastRecord = (): PastRecord => ({ on: false, at: '', reason: '' });

/** The body fields a past record adds: its instant and the reason; nothing when it is off. */
export function pastRecordBody(p: PastRecord | undefined): {
  at?: string;
  backdateReason?: string;
} {
  if (!p?.on || !p.at) return {};
  return { at: new Date(p.at).toISOString(), backdateReason: p.reason.trim() };
}

export function PastRecordFields({
  value,
  onChange,
  errors,
}: {
  value: PastRecord;
  onChange: (v: PastRecord) => void;
  errors: { at?: string; backdateReason?: string };
}) {
  const { t } = useTranslation();
  if (!useMe().permissions.includes('records.backdate')) return null;
  return (
    <Stack gap="xs">
      <Switch
        label={t('entry.past.toggle')}
        description={t('entry.past.hint')}
        checked={value.on}
        onChange={(e) => onChange({ ...value, on: e.currentTarget.checked })}
      />
      {value.on && (
        <>
          <TextInput
            type="datetime-local"
            label={t('entry.past.at')}
            value={value.at}
            onChange={(e) => onChange({ ...value, at: e.currentTarget.value })}
            error={errors.at}
            withAsterisk
          />
          <Textarea
            label={t('entry.past.reason')}
            placeholder={t('entry.past.reasonPlaceholder')}
            value={value.reason}
            onChange={(e) => onChange({ ...value, reason: e.currentTarget.value })}
            error={errors.backdateReason}
            autosize
            minRows={2}
            withAsterisk
          />
        </>
      )}
    </Stack>
  );
}
