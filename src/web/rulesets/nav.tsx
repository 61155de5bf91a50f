/** The Shell's navigation entries for rule-set administration (issue 18), shown by permission. */
import { NavLink } from '@mantine/core';
import { Link, useLocation } from 'react-router';
import { useMe } from '../auth.tsx';
import { useRT, type RuleSetsKey, type RuleSetsPermission } from './t.ts';

const NAV: { to: string; label: RuleSetsKey; permission: RuleSetsPermission }[] = [
  { to: '/quy-tac', label: 'nav.rulesets', permission: 'rulesets.read' },
];

export function RuleSetNavLinks({ onNavigate }: { onNavigate: () => void }) {
  const { rt } = useRT();
  const me = useMe();
  const location = useLocation();
  return NAV.filter((n) => me.permissions.includes(n.permission)).map((item) => (
    <NavLink
      key={item.to}
      component={Link}
      to={item.to}
      label={rt(item.label)}
      active={location.pathname.startsWith(item.to)}
      onClick={onNavigate}
      variant="light"
      style={{ borderRadius: 'var(--mantine-radius-sm)' }}
    />
  ));
}
