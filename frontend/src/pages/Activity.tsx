import { useState } from 'react';
import { Code, Group, Select, Table, TextInput, Title } from '@mantine/core';
import { useActivity } from '../api/hooks';
import { QueryState, RelativeTime } from '../components/common';

/** Who did what, newest first. */
export function Activity() {
  const [actor, setActor] = useState('');
  const [action, setAction] = useState('');
  const [targetType, setTargetType] = useState<string | null>(null);
  const [targetId, setTargetId] = useState('');
  const activity = useActivity({ actor: actor.trim(), action: action.trim(), targetType, targetId: targetId.trim() });
  return (
    <>
      <Title order={1} mb="md">
        Activity log
      </Title>
      <Group mb="md" align="flex-end">
        <TextInput label="Actor" value={actor} onChange={(e) => setActor(e.currentTarget.value)} />
        <TextInput label="Action" placeholder="e.g. orchestrator.independence.set" value={action} onChange={(e) => setAction(e.currentTarget.value)} />
        <Select label="Target type" placeholder="Any" clearable data={['organization', 'orchestrator', 'recommendation']} value={targetType} onChange={setTargetType} />
        <TextInput label="Target id" value={targetId} onChange={(e) => setTargetId(e.currentTarget.value)} />
      </Group>
      <QueryState query={activity} label="activity" empty="No activity matches." isEmpty={(p) => p.items.length === 0}>
        {(page) => (
          <Table striped aria-label="Activity">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>When</Table.Th>
                <Table.Th>Actor</Table.Th>
                <Table.Th>Action</Table.Th>
                <Table.Th>Target</Table.Th>
                <Table.Th>Details</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {page.items.map((e) => (
                <Table.Tr key={e.id}>
                  <Table.Td>
                    <RelativeTime at={e.at} />
                  </Table.Td>
                  <Table.Td>
                    {e.actor} ({e.actorRole.toLowerCase()})
                  </Table.Td>
                  <Table.Td>{e.action}</Table.Td>
                  <Table.Td>
                    {e.targetType} {e.targetId}
                  </Table.Td>
                  <Table.Td>{e.details && <Code>{JSON.stringify(e.details)}</Code>}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </QueryState>
    </>
  );
}
