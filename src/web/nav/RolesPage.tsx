/**
 * Roles and what each may do, in words (issue 16 item 7): one card per role with its work, the
 * levels it may be placed at and its permissions, and the whole role × permission matrix.
 * Roles are granted on the Users page; the table itself is src/domain/access.ts.
 */
import {
  Accordion,
  Alert,
  Badge,
  Button,
  Group,
  List,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { Link } from 'react-router';
import { useCan } from '../auth.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { useRoles } from '../hooks.ts';
import { useNT } from './t.ts';

export function RolesPage() {
  const { t, nt, bi } = useNT();
  const roles = useRoles();
  const mayManage = useCan('users.manage');
  if (roles.error) return <ErrorAlert error={roles.error} />;
  const items = roles.data ?? [];
  // Every permission some role holds, in the order of the first role holding it.
  const perms = [
    ...new Map(items.flatMap((r) => r.permissions.map((p) => [p.action, p.label]))).entries(),
  ];

  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="wrap">
        <Title order={2}>{nt('roles')}</Title>
        {mayManage && (
          <Button component={Link} to="/users" variant="light" mih={44}>
            {t('nav.users')}
          </Button>
        )}
      </Group>
      <Alert color="blue" variant="light">
        {nt('rolesIntro')}
      </Alert>
      <Accordion variant="separated" multiple data-testid="roles">
        {items.map((r) => (
          <Accordion.Item key={r.role} value={r.role}>
            <Accordion.Control mih={44}>
              <Group gap="xs" wrap="nowrap">
                <Text fw={600}>{bi(r.label)}</Text>
                <Badge variant="light" style={{ flexShrink: 0 }}>
                  {r.permissions.length}
                </Badge>
              </Group>
            </Accordion.Control>
            <Accordion.Panel>
              <Text mb="xs">{bi(r.duties)}</Text>
              <Text size="sm" c="dimmed" mb="xs">
                {nt('levels')}: {r.levels.map((l) => nt(`level.${l}`)).join(', ')}
              </Text>
              <List size="sm" spacing={4}>
                {r.permissions.map((p) => (
                  <List.Item key={p.action}>{bi(p.label)}</List.Item>
                ))}
              </List>
            </Accordion.Panel>
          </Accordion.Item>
        ))}
      </Accordion>
      <Title order={3}>{nt('matrix')}</Title>
      <Table.ScrollContainer minWidth={900}>
        <Table striped withTableBorder withColumnBorders data-testid="role-matrix" fz="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{nt('permission')}</Table.Th>
              {items.map((r) => (
                <Table.Th key={r.role} style={{ verticalAlign: 'bottom' }}>
                  {bi(r.label)}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {perms.map(([action, label]) => (
              <Table.Tr key={action}>
                <Table.Td>{bi(label)}</Table.Td>
                {items.map((r) => (
                  <Table.Td key={r.role} ta="center">
                    {r.actions.includes(action) ? '✓' : ''}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
