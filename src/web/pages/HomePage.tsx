import { Anchor, Badge, Card, Group, Loader, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { homeUnitCode, useCan, useMe } from '../auth.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { formatNumber } from '../format.ts';
import { useRoleLabel, useUnit, useUnitTypeLabel } from '../hooks.ts';

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="lg" fw={600}>
        {value}
      </Text>
    </div>
  );
}

export function HomePage() {
  const { t } = useTranslation();
  const me = useMe();
  const roleLabel = useRoleLabel();
  const typeLabel = useUnitTypeLabel();
  const canGeo = useCan('geo.read');
  const code = homeUnitCode(me);
  const unit = useUnit(code);

  return (
    <Stack maw={760}>
      <Title order={2}>{t('home.welcome', { name: me.fullName })}</Title>
      <Card withBorder radius="md" padding="lg" data-testid="home-card">
        <Stack gap="md">
          <div>
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
              {t('home.role')}
            </Text>
            <Text>{roleLabel(me.role, me.roleLabel)}</Text>
          </div>
          <div>
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
              {t('home.jurisdiction')}
            </Text>
            <Text fw={600} size="lg" data-testid="home-jurisdiction">
              {me.scopeLabel}
            </Text>
          </div>
          {unit.isPending && <Loader size="sm" />}
          {unit.isError && <ErrorAlert error={unit.error} />}
          {unit.data && (
            <>
              <Group gap="xs">
                <Badge variant="light">{typeLabel(unit.data.type)}</Badge>
                <Text fw={600}>{unit.data.name}</Text>
                <Text c="dimmed" size="sm">
                  {t('units.code')} {unit.data.code}
                </Text>
              </Group>
              <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="md">
                <Stat
                  label={t('home.population')}
                  value={formatNumber(unit.data.population?.total)}
                />
                <Stat label={t('home.urban')} value={formatNumber(unit.data.population?.urban)} />
                <Stat label={t('home.rural')} value={formatNumber(unit.data.population?.rural)} />
                {unit.data.level < 3 ? (
                  <Stat label={t('home.children')} value={formatNumber(unit.data.childrenCount)} />
                ) : (
                  <Stat label={t('home.villages')} value={formatNumber(unit.data.villagesCount)} />
                )}
              </SimpleGrid>
              {canGeo && (
                <Anchor
                  component={Link}
                  to={`/units/${unit.data.code}`}
                  size="sm"
                  mih={44}
                  display="flex"
                  style={{ alignItems: 'center' }}
                >
                  {t('home.openUnit')} →
                </Anchor>
              )}
            </>
          )}
        </Stack>
      </Card>
    </Stack>
  );
}
