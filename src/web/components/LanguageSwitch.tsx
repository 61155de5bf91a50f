import { SegmentedControl } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** VI | EN; the choice is remembered in localStorage (see i18n/index.ts). */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <SegmentedControl
      size="xs"
      // issue 16: each half is a 44 px target on a phone
      styles={{
        label: {
          minHeight: 40,
          minWidth: 40,
          display: 'flex',
          alignItems: 'center',
          justifyContent: 'center',
        },
      }}
      aria-label={t('lang.label')}
      value={i18n.language === 'en' ? 'en' : 'vi'}
      onChange={(lng) => void i18n.changeLanguage(lng)}
      data={[
        { value: 'vi', label: <span title={t('lang.vi')}>VI</span> },
        { value: 'en', label: <span title={t('lang.en')}>EN</span> },
      ]}
    />
  );
}
