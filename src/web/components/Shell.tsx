import {
  AppShell,
  Box,
  Burger,
  Button,
  Divider,
  Group,
  NavLink,
  Stack,
  Text,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { api, type Permission } from '../api.ts';
import { PASSWORD_PATH, useMe } from '../auth.tsx';
import { useRoleLabel } from '../hooks.ts';
import { EntryNavLinks } from '../entry/nav.tsx';
import { PeopleNavLinks } from '../people/nav.tsx';
import { VaccinationNavLinks } from '../vaccination/nav.tsx';
import { TestingNavLinks } from '../testing/nav.tsx';
import { CasesNavLinks } from '../cases/nav.tsx';
import { CareNavLinks } from '../care/routes.tsx'; // quarantine and treatment (issue 11)
// issue 18 (supplies, enforcement)
import { SuppliesNavLinks } from '../supplies/routes.tsx';
import { EnforcementNavLinks } from '../enforcement/routes.tsx';
import { PictureNavLinks } from '../picture/nav.tsx'; // issue 12
import { RuleSetNavLinks } from '../rulesets/nav.tsx'; // issue 18 (rule sets)
import { GreenLaneNavLinks } from '../greenlane/routes.tsx'; // issue 17
import { LanguageSwitch } from './LanguageSwitch.tsx';

interface NavItem {
  to: string;
  label: 'nav.home' | 'nav.users' | 'nav.units' | 'nav.audit';
  permission?: Permission;
}

const NAV: NavItem[] = [
  { to: '/', label: 'nav.home' },
  { to: '/units', label: 'nav.units', permission: 'geo.read' },
  { to: '/users', label: 'nav.users', permission: 'users.read' },
  { to: '/audit', label: 'nav.audit', permission: 'audit.read' },
];

/** Who is logged in: full name, role, jurisdiction. One line each when `wrap` (phone menu). */
function UserBlock({ align = 'left', wrap = false }: { align?: 'left' | 'right'; wrap?: boolean }) {
  const me = useMe();
  const roleLabel = useRoleLabel();
  const role = roleLabel(me.role, me.roleLabel);
  if (wrap) {
    return (
      <Box data-testid="user-block">
        <Text fw={600}>{me.fullName}</Text>
        <Text size="sm">{role}</Text>
        <Text size="sm" c="dimmed">
          {me.scopeLabel}
        </Text>
      </Box>
    );
  }
  return (
    <Box ta={align} miw={0} data-testid="user-block">
      <Text fw={600} size="sm" truncate="end">
        {me.fullName}
      </Text>
      <Text size="xs" c="dimmed" truncate="end" title={`${role} · ${me.scopeLabel}`}>
        {role} · {me.scopeLabel}
      </Text>
    </Box>
  );
}

export function Shell() {
  const { t } = useTranslation();
  const me = useMe();
  const [opened, { toggle, close }] = useDisclosure(false);
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();

  const logout = async () => {
    try {
      await api<void>('/api/v1/auth/logout', { method: 'POST' });
    } catch {
      /* the session is gone either way */
    }
    queryClient.clear();
    queryClient.setQueryData(['me'], null);
    notifications.show({ message: t('auth.loggedOut') });
    void navigate('/login', { replace: true });
  };

  const items = NAV.filter((n) => !n.permission || me.permissions.includes(n.permission));
  const isActive = (to: string) =>
    to === '/' ? location.pathname === '/' : location.pathname.startsWith(to);

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding={{ base: 'sm', sm: 'md' }}
    >
      <AppShell.Header>
        <Group h="100%" px="sm" gap="sm" wrap="nowrap" justify="space-between">
          <Group gap="xs" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={t('nav.menu')}
            />
            <UnstyledButton component={Link} to="/" onClick={close}>
              <Title order={3} c="teal.8" style={{ letterSpacing: '-0.02em' }}>
                {t('app.name')}
              </Title>
            </UnstyledButton>
          </Group>
          <Group gap="md" wrap="nowrap" miw={0}>
            <Box visibleFrom="sm" miw={0} maw={{ sm: 300, md: 520 }}>
              <UserBlock align="right" />
            </Box>
            <LanguageSwitch />
            {/* issue 10 item 8: the user's own password and sessions */}
            <Button component={Link} to={PASSWORD_PATH} variant="subtle" size="xs" visibleFrom="sm">
              {t('account.changePassword')}
            </Button>
            <Button variant="default" size="xs" onClick={logout} visibleFrom="sm">
              {t('auth.logout')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="sm" aria-label="navigation">
        <Stack gap="xs" hiddenFrom="sm" mb="sm">
          <UserBlock wrap />
          <Divider />
        </Stack>
        <AppShell.Section grow component="nav" style={{ overflowY: 'auto', minHeight: 0 }}>
          {items.map((item) => (
            <NavLink
              key={item.to}
              component={Link}
              to={item.to}
              label={t(item.label)}
              active={isActive(item.to)}
              onClick={close}
              variant="light"
              style={{ borderRadius: 'var(--mantine-radius-sm)' }}
            />
          ))}
          <PictureNavLinks onNavigate={close} /> {/* issue 12 */}
          <EntryNavLinks isActive={isActive} onNavigate={close} />
          <PeopleNavLinks isActive={isActive} onNavigate={close} />
          <VaccinationNavLinks onNavigate={close} />
          <TestingNavLinks onNavigate={close} />
          <CasesNavLinks isActive={isActive} onNavigate={close} />
          <RuleSetNavLinks onNavigate={close} /> {/* issue 18 (rule sets) */}
          <CareNavLinks isActive={isActive} onNavigate={close} />
          <GreenLaneNavLinks isActive={isActive} onNavigate={close} /> {/* issue 17 */}
          <SuppliesNavLinks isActive={isActive} onNavigate={close} /> {/* issue 18 */}
          <EnforcementNavLinks isActive={isActive} onNavigate={close} /> {/* issue 18 */}
        </AppShell.Section>
        <AppShell.Section hiddenFrom="sm">
          <Divider mb="sm" />
          {/* issue 10 item 8 */}
          <Button component={Link} to={PASSWORD_PATH} variant="subtle" fullWidth mb="xs" mih={44}>
            {t('account.changePassword')}
          </Button>
          <Button variant="default" fullWidth onClick={logout}>
            {t('auth.logout')}
          </Button>
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
