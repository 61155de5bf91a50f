/** The Shell's navigation: MENU's groups, each with the items the user may use (issue 16). */
import { Badge, NavLink, Stack, Text } from '@mantine/core';
import { Link, useLocation } from 'react-router';
import { useMe } from '../auth.tsx';
import { mayReadNotices, useUnreadNotices } from '../cases/nav.tsx';
import { menuFor, MENU, type MenuItem } from './menu.ts';
import { useNT } from './t.ts';
// The modules' namespaces hold the labels; importing registers them. Here, with the menu, and
// not in menu.ts, which the login page reads: its first load on 3G carries no module's words.
import '../people/t.ts';
import '../vaccination/t.ts';
import '../testing/t.ts';
import '../cases/t.ts';
import '../care/t.ts';
import '../picture/t.ts';
import '../rulesets/t.ts';
import '../greenlane/t.ts';
import '../supplies/t.ts';
import '../enforcement/t.ts';
import '../teams/t.ts'; // issue 18 item 2
import '../workplaces/t.ts'; // issue 18 item 4

/** The item whose path is the longest prefix of the current one is the active one. */
function activePath(pathname: string): string | undefined {
  const paths = MENU.flatMap((g) => g.items.map((i) => i.to));
  return paths
    .filter((to) =>
      to === '/' ? pathname === '/' : pathname === to || pathname.startsWith(to + '/'),
    )
    .sort((a, b) => b.length - a.length)[0];
}

export function Menu({ onNavigate }: { onNavigate: () => void }) {
  const me = useMe();
  const { t, nt } = useNT();
  const location = useLocation();
  const unread = useUnreadNotices(mayReadNotices(me.permissions));
  const active = activePath(location.pathname);
  const badge = (item: MenuItem) =>
    item.badge === 'notices' && unread.data ? (
      <Badge size="sm" color="red" circle={unread.data < 10} data-testid="notices-badge">
        {unread.data}
      </Badge>
    ) : undefined;

  return menuFor(me).map((group, i) => (
    <Stack
      key={group.label ?? i}
      gap={0}
      mb="xs"
      role="group"
      aria-label={group.label && nt(group.label)}
    >
      {group.label && (
        <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" pt="xs" pb={4}>
          {nt(group.label)}
        </Text>
      )}
      {group.items.map((item) => (
        <NavLink
          key={item.to}
          component={Link}
          to={item.to}
          label={t(typeof item.label === 'function' ? item.label(me) : item.label, item.ns)}
          active={item.to === active}
          onClick={onNavigate}
          variant="light"
          mih={44}
          style={{ borderRadius: 'var(--mantine-radius-sm)' }}
          rightSection={badge(item)}
        />
      ))}
    </Stack>
  ));
}
