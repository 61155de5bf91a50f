import { MaskInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/**
 * A date typed as dd/mm/yyyy (the format used everywhere in the app). The mask owns the input's
 * DOM value, so this field is uncontrolled: give it a new `key` to clear it.
 */
export function DateField({
  label,
  onChange,
  error,
}: {
  label: string;
  onChange: (value: string) => void;
  error?: string;
}) {
  const { t } = useTranslation();
  return (
    <MaskInput
      label={label}
      mask="99/99/9999"
      placeholder={t('common.dateFormat')}
      inputMode="numeric"
      onChangeRaw={(raw, masked) => onChange(raw ? masked.replace(/_/g, '') : '')}
      error={error}
    />
  );
}
