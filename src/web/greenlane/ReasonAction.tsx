/**
 * One pattern for the green lane's acts that need a reason and cannot be undone (revoking a
 * permit, closing an alert): the reason typed, the API's field error under it, the act only after
 * a confirmation, a notification and the query refreshed when done.
 */
import { Button, Stack, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ApiError } from '../api.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { confirmDelete } from '../nav/confirm.tsx';

export interface ReasonActionProps {
  /** POSTed {reason}. */
  url: string;
  label: string;
  button: string;
  confirmTitle: string;
  confirmMessage: string;
  done: string;
  /** The query to refresh afterwards. */
  queryKey: unknown[];
  color?: string;
  testId?: string;
}

export function ReasonAction(p: ReasonActionProps) {
  const qc = useQueryClient();
  const [reason, setReason] = useState('');
  const act = useMutation({
    mutationFn: () => api(p.url, { method: 'POST', body: { reason } }),
    onSuccess: () => {
      notifications.show({ color: p.color ?? 'green', message: p.done });
      void qc.invalidateQueries({ queryKey: p.queryKey });
    },
  });
  const e = act.error;
  return (
    <Stack gap="xs" w="100%">
      <Textarea
        label={p.label}
        value={reason}
        onChange={(ev) => setReason(ev.currentTarget.value)}
        autosize
        minRows={1}
        data-testid={p.testId}
        error={
          e instanceof ApiError ? e.fields.find((f) => f.path === 'reason')?.message : undefined
        }
      />
      {e && !(e instanceof ApiError && e.fields.length) && <ErrorAlert error={e} />}
      <Button
        color={p.color}
        variant="light"
        mih={44}
        loading={act.isPending}
        onClick={() =>
          confirmDelete({
            title: p.confirmTitle,
            message: p.confirmMessage,
            confirmLabel: p.button,
            onConfirm: () => act.mutate(),
          })
        }
      >
        {p.button}
      </Button>
    </Stack>
  );
}
