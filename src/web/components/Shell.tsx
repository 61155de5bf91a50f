import {
  AppShell,
  Box,
  Burger,
  Button,
  Divider,
  Group,
  Stack,
  Text,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useNavigate } from 'react-router';
import { api } from '../api.ts';
import { PASSWORD_PATH, useMe } from '../auth.tsx';
import { useRoleLabel } from '../hooks.ts';
import { useOfflineSupport } from '../entry/offline.ts';
import { Menu } from '../nav/Menu.tsx'; // issue 16: the menu is one table, src/web/nav/menu.ts
import { ThemeToggle } from '../nav/ThemeToggle.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';

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
  const [opened, { toggle, close }] = useDisclosure(false);
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  // Issue 16: the app is installable and opens offline from any page (public/sw.js).
  useOfflineSupport();

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
              w={44}
              h={44}
              aria-label={t('nav.menu')}
            />
            <UnstyledButton component={Link} to="/" onClick={close} mih={44} display="flex">
              <Title order={3} c="teal.8" style={{ letterSpacing: '-0.02em' }}>
                {t('app.name')}
              </Title>
            </UnstyledButton>
          </Group>
          <Group gap="xs" wrap="nowrap" miw={0}>
            <Box visibleFrom="sm" miw={0} maw={{ sm: 300, md: 520 }}>
              <UserBlock align="right" />
            </Box>
            <LanguageSwitch />
            <ThemeToggle />
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
          <Menu onNavigate={close} />
        </AppShell.Section>
        <AppShell.Section hiddenFrom="sm">
          <Divider mb="sm" />
          {/* issue 10 item 8 */}
          <Button component={Link} to={PASSWORD_PATH} variant="subtle" fullWidth mb="xs" mih={44}>
            {t('account.changePassword')}
          </Button>
          <Button variant="default" fullWidth mih={44} onClick={logout}>
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
