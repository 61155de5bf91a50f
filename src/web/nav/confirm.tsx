/**
 * The one confirmation before anything is deleted or removed (issue 16 item 5): Mantine's
 * confirm modal with the question in words, a red action named for what it does and Cancel,
 * both 44 px tall for a thumb.
 */
import { Text } from '@mantine/core';
import { openConfirmModal } from '@mantine/modals';
import i18n from '../i18n/index.ts';
import { NS } from './t.ts';

export interface ConfirmDelete {
  /** The question, e.g. "Remove Nguyễn Văn A from this household?" */
  message: string;
  /** The red button (default: Delete). */
  confirmLabel?: string;
  title?: string;
  onConfirm: () => void;
}

export function confirmDelete({ message, confirmLabel, title, onConfirm }: ConfirmDelete) {
  const nt = (key: string) =>
    (i18n.t as unknown as (k: string, o: Record<string, unknown>) => string)(key, { ns: NS });
  openConfirmModal({
    title: title ?? nt('confirm.title'),
    children: <Text>{message}</Text>,
    labels: { confirm: confirmLabel ?? nt('confirm.delete'), cancel: nt('confirm.cancel') },
    confirmProps: { color: 'red', mih: 44, 'data-testid': 'confirm-delete' },
    cancelProps: { mih: 44 },
    closeButtonProps: { 'aria-label': i18n.t('common.close'), size: 'xl' },
    centered: true,
    onConfirm,
  });
}
