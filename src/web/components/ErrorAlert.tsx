import { Alert, List } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api.ts';

/** The server's message for a failed request (network failures get a translated one). */
export function errorMessage(
  error: unknown,
  t: (key: 'common.networkError' | 'common.error') => string,
) {
  if (error instanceof ApiError) {
    return error.code === 'network' ? t('common.networkError') : error.message;
  }
  return t('common.error');
}

export function ErrorAlert({
  error,
  title,
  showFields = false,
}: {
  error: unknown;
  title?: string;
  /** List the field errors too (when they are not shown beside the inputs). */
  showFields?: boolean;
}) {
  const { t } = useTranslation();
  if (!error) return null;
  const fields = showFields && error instanceof ApiError ? error.fields : [];
  return (
    <Alert color="red" variant="light" title={title ?? t('common.error')} role="alert">
      {errorMessage(error, t)}
      {fields.length > 0 && (
        <List size="sm" mt="xs">
          {fields.map((f) => (
            <List.Item key={f.path + f.message}>
              {f.path}: {f.message}
            </List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}
