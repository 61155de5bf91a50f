/**
 * /noi-lam-viec/tu-danh-gia — a workplace's reporter (test_reporter at its site), on a phone,
 * answers each criterion of the workplace-safety rule set in force (met / not met / not
 * applicable) and sends the self-assessment; the server scores it and says why in words. The
 * workplace's state (level, outbreak flag, due dates) is above, and the screening upload (the
 * testing module's results import) one tap away.
 */
import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  SegmentedControl,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api.ts';
import { useMe } from '../auth.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { formatDate } from '../format.ts';
import { uuid } from '../util.ts';
import { useWT } from './t.ts';
import { LEVEL_COLOR, type Assessment, type SafetyRuleSet, type WorkplaceDetail } from './types.ts';

type Answer = 'yes' | 'no' | 'na';

export function AssessPage() {
  const { t, bi } = useWT();
  const me = useMe();
  const qc = useQueryClient();
  const id = me.scope.siteId;
  const wp = useQuery({
    queryKey: ['workplace', id],
    queryFn: () => api<WorkplaceDetail>(`/api/v1/workplaces/${id}`),
    enabled: !!id,
    retry: false,
  });
  const rs = useQuery({
    queryKey: ['workplace-safety'],
    queryFn: () => api<SafetyRuleSet>('/api/v1/workplace-safety'),
  });
  const [answers, setAnswers] = useState<Record<string, Answer>>({});
  // one client id per filled form: a re-sent tap is not a second assessment
  const clientId = useRef(uuid());
  const send = useMutation({
    mutationFn: () =>
      api<Assessment>(`/api/v1/workplaces/${id}/assessments`, {
        method: 'POST',
        body: { clientId: clientId.current, answers },
      }),
    onSuccess: (a) => {
      clientId.current = uuid();
      notifications.show({ color: LEVEL_COLOR[a.riskLevel], message: bi(a.explanation) });
      void qc.invalidateQueries({ queryKey: ['workplace', id] });
    },
  });
  if (!id || wp.isError) return <Alert color="gray">{t('assess.noWorkplace')}</Alert>;
  const w = wp.data;
  const set = rs.data;
  const missing = set ? set.criteria.filter((c) => !answers[c.id]).length : 0;
  const levelWord = (l: string | undefined) => t(`level.${(l ?? 'none') as 'none'}`);
  return (
    <Stack gap="sm" maw={560} data-testid="assess-page">
      <Title order={3}>{t('assess.title')}</Title>
      {w && (
        <Card withBorder padding="sm" data-testid="workplace-state">
          <Text fw={600}>{w.name}</Text>
          <Group gap="xs" mt={4}>
            <Badge color={LEVEL_COLOR[w.assessment?.riskLevel ?? 'none']}>
              {levelWord(w.assessment?.riskLevel)}
            </Badge>
            {w.outbreak && (
              <Badge color="red" variant="filled" data-testid="outbreak-badge">
                {t('outbreak')}
              </Badge>
            )}
          </Group>
          {w.outbreak && (
            <Text size="sm" c="red" mt={4}>
              {bi(w.outbreak.explanation)}
            </Text>
          )}
          <Text size="sm" mt={4}>
            {w.assessment
              ? t('assess.last', {
                  date: formatDate(w.assessment.assessedOn),
                  level: levelWord(w.assessment.riskLevel),
                })
              : t('assess.never')}
          </Text>
          <Text size="sm" c={w.assessmentOverdue ? 'red' : undefined}>
            {t('assess.dueAssess', { date: formatDate(w.assessmentDueOn) })}
          </Text>
          <Text size="sm" c={w.screeningOverdue ? 'red' : undefined}>
            {t('assess.dueScreen', { date: formatDate(w.screeningDueOn) })}
          </Text>
          <Button component={Link} to="/xet-nghiem/nhap-tep" variant="light" mt="xs" size="md">
            {t('assess.upload')}
          </Button>
        </Card>
      )}
      {set && (
        <>
          <Text size="sm" c="dimmed">
            {t('assess.basis', { name: set.name, basis: set.legalBasis.number })}
            {set.confidence === 'reconstructed' && ` · ${t('assess.reconstructed')}`}
          </Text>
          {set.criteria.map((c) => (
            <Card key={c.id} withBorder padding="xs" data-testid={`criterion-${c.id}`}>
              <Group gap={6} mb={6}>
                <Text size="sm" fw={500}>
                  {bi(c.text)}
                </Text>
                {c.critical && (
                  <Badge size="xs" color="red" variant="light">
                    {t('assess.critical')}
                  </Badge>
                )}
              </Group>
              <SegmentedControl
                fullWidth
                size="md"
                value={answers[c.id] ?? ''}
                onChange={(v) => setAnswers((a) => ({ ...a, [c.id]: v as Answer }))}
                data={(['yes', 'no', 'na'] as const).map((v) => ({
                  value: v,
                  label: t(`assess.${v}`),
                }))}
                styles={{
                  // "Không áp dụng" wraps on a 360 px phone rather than being cut
                  innerLabel: { whiteSpace: 'normal', overflow: 'visible', textOverflow: 'clip' },
                  label: {
                    minHeight: 44,
                    display: 'flex',
                    alignItems: 'center',
                    justifyContent: 'center',
                    whiteSpace: 'normal',
                    lineHeight: 1.2,
                  },
                }}
              />
            </Card>
          ))}
          <ErrorAlert error={send.error} />
          {send.data && (
            <Alert color={LEVEL_COLOR[send.data.riskLevel]} data-testid="assess-result">
              <Text fw={600}>
                {t('assess.result', {
                  level: levelWord(send.data.riskLevel),
                  score: send.data.score,
                })}
              </Text>
              <Text size="sm">{bi(send.data.explanation)}</Text>
            </Alert>
          )}
          <Button
            size="lg"
            onClick={() => send.mutate()}
            loading={send.isPending}
            disabled={missing > 0}
            data-testid="assess-submit"
          >
            {missing > 0 ? t('assess.missing', { n: missing }) : t('assess.submit')}
          </Button>
        </>
      )}
    </Stack>
  );
}
