/**
 * An arrival's classification: the server's (ClassificationView), the one made on the phone
 * while offline (ProvisionalView, issue 16 item 1), and the two side by side once the server
 * answers (DecisionComparison) — highlighted when the server decided otherwise.
 */
import { Alert, Badge, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDate, formatDateTime } from '../format.ts';
import { ActionBadge } from './components.tsx';
import { differs, type Provisional } from './provisional.ts';
import type { Entry } from './types.ts';

/** The measure decided for an arrival: the coloured badge, the explanation, the dates. */
export function ClassificationView({ entry }: { entry: Entry }) {
  const { t, i18n } = useTranslation();
  const c = entry.classification;
  if (!c) return null;
  const a = c.automatic;
  return (
    <Stack gap="xs" data-testid="classification">
      <Group gap="xs">
        <ActionBadge action={c.action} size="xl" radius="sm" data-testid="classification-action" />
        {entry.fromEpidemicArea && (
          <Badge color="red" variant="light" tt="none">
            {t('entry.checkpoint.fromEpidemicArea', { level: entry.originLevel ?? '?' })}
          </Badge>
        )}
      </Group>
      <Text data-testid="classification-explanation">
        {i18n.language === 'en' ? c.explanation.en : c.explanation.vi}
      </Text>
      {i18n.language === 'en' && (
        <Text size="sm" c="dimmed" lang="vi">
          {c.explanation.vi}
        </Text>
      )}
      {(a.quarantineEnds || a.monitoringEnds || a.testDates.length > 0) && (
        <Stack gap={2}>
          {a.quarantineEnds && (
            <Text size="sm">
              {t('entry.followUps.quarantineEnds')}: <b>{formatDate(a.quarantineEnds)}</b>
            </Text>
          )}
          {a.monitoringEnds && (
            <Text size="sm">
              {t('entry.followUps.monitoringEnds')}: <b>{formatDate(a.monitoringEnds)}</b>
            </Text>
          )}
          {a.testDates.length > 0 && (
            <Text size="sm">
              {t('entry.followUps.tests')}: {a.testDates.map(formatDate).join(', ')}
            </Text>
          )}
        </Stack>
      )}
      {c.legalBasis && (
        <Text size="xs" c="dimmed">
          {t('entry.checkpoint.legalBasis')}: {c.legalBasis.number} ({formatDate(c.legalBasis.date)}
          ) — {c.legalBasis.title}
        </Text>
      )}
      {c.override && (
        <Alert color="gray" variant="light" p="xs">
          {t('entry.checkpoint.overridden', { by: c.override.by, reason: c.override.reason })}
        </Alert>
      )}
    </Stack>
  );
}
/** The decision made on the phone: marked provisional, with the rule that decided it. */
export function ProvisionalView({ p, compact = false }: { p: Provisional; compact?: boolean }) {
  const { t, i18n } = useTranslation();
  if (!p.ok) {
    return (
      <Text size="sm" c="dimmed" data-testid="provisional-none">
        {t(`entry.provisional.none.${p.reason}`)}
        {p.message ? ` ${i18n.language === 'en' ? p.message.en : p.message.vi}` : ''}
      </Text>
    );
  }
  return (
    <Stack gap={4} data-testid="provisional">
      <Group gap="xs">
        <ActionBadge action={p.action} size={compact ? 'md' : 'lg'} radius="sm" />
        <Badge color="yellow" variant="light" tt="none" data-testid="provisional-mark">
          {t('entry.provisional.mark')}
        </Badge>
      </Group>
      <Text size="xs" c="dimmed" data-testid="provisional-rule">
        {t('entry.provisional.rule', { ruleset: p.rulesetId, rule: p.ruleId })}
      </Text>
      {!compact && (
        <>
          <Text size="sm">{i18n.language === 'en' ? p.explanation.en : p.explanation.vi}</Text>
          {p.quarantineEnds && (
            <Text size="sm">
              {t('entry.followUps.quarantineEnds')}: <b>{formatDate(p.quarantineEnds)}</b>
            </Text>
          )}
          <Text size="xs" c="dimmed">
            {t('entry.provisional.packAt', { date: formatDateTime(p.packAt) })}
          </Text>
        </>
      )}
    </Stack>
  );
}

/** After the sync: the server's decision, and the phone's when they differ. */
export function DecisionComparison({ p, entry }: { p: Provisional | undefined; entry: Entry }) {
  const { t } = useTranslation();
  const c = entry.classification;
  const server = c && { action: c.automatic.action, rulesetId: c.rulesetId, ruleId: c.ruleId };
  const changed = differs(p, server);
  return (
    <Stack gap="xs">
      <ClassificationView entry={entry} />
      {c && (
        <Text size="xs" c="dimmed" data-testid="server-rule">
          {t('entry.provisional.serverRule', { ruleset: c.rulesetId, rule: c.ruleId })}
        </Text>
      )}
      {p?.ok && changed && (
        <Alert
          color="orange"
          variant="light"
          title={t('entry.provisional.changedTitle')}
          data-testid="decision-changed"
        >
          <Stack gap={4}>
            <Text size="sm">{t('entry.provisional.changedText')}</Text>
            <ProvisionalView p={p} compact />
          </Stack>
        </Alert>
      )}
      {p?.ok && !changed && server && (
        <Text size="sm" c="teal.8" fw={600} data-testid="decision-same">
          ✓ {t('entry.provisional.same')}
        </Text>
      )}
    </Stack>
  );
}
