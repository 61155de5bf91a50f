import { Button, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <Stack align="flex-start" maw={520}>
      <Title order={2}>{t('common.notFound')}</Title>
      <Text c="dimmed">{t('common.notFoundText')}</Text>
      <Button component={Link} to="/" variant="light">
        {t('common.goHome')}
      </Button>
    </Stack>
  );
}
