import type { ReactNode } from 'react';
import { Alert, Badge, Group, List, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { QueryState, RelativeTime } from '../../../components/common';
import { usePipeline, type Pipeline } from '../api/pipeline';

const count = new Intl.NumberFormat('en');
const age = (seconds: number | null) => (seconds === null ? '—' : seconds < 1 ? 'under 1 s' : `${count.format(Math.round(seconds))} s`);

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Stack gap="xs">
      <Title order={2} size="h4">
        {title}
      </Title>
      {children}
    </Stack>
  );
}

/**
 * The pipeline, from the edges to PostgreSQL, as control-api gathers it: each service instance's
 * readiness, each consumer group's lag and the age of its oldest unprocessed record, the outbox, the
 * dead letters and the sessions per edge, read again every 5 s; what makes it degraded on top.
 */
export function PipelinePage() {
  const pipeline = usePipeline();
  return (
    <>
      <Group justify="space-between" mb="md">
        <Title order={1}>Pipeline</Title>
        {pipeline.data && (
          <Group gap="xs">
            <Badge color={pipeline.data.status === 'ok' ? 'green' : 'red'} variant="light" size="lg" data-testid="pipeline-status">
              {pipeline.data.status === 'ok' ? 'Healthy' : 'Degraded'}
            </Badge>
            <Text size="sm" c="dimmed">
              gathered <RelativeTime at={pipeline.data.at} />
            </Text>
          </Group>
        )}
      </Group>
      <QueryState query={pipeline} label="the pipeline">
        {(p) => <PipelineView pipeline={p} />}
      </QueryState>
    </>
  );
}

function PipelineView({ pipeline }: { pipeline: Pipeline }) {
  return (
    <Stack gap="lg">
      {pipeline.problems.length > 0 && (
        <Alert color="red" title="Degraded" role="alert">
          <List size="sm">
            {pipeline.problems.map((problem) => (
              <List.Item key={problem}>{problem}</List.Item>
            ))}
          </List>
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Section title="Services">
          <Table aria-label="Services">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Service</Table.Th>
                <Table.Th>Instance</Table.Th>
                <Table.Th>Readiness</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {pipeline.services.map((s) => (
                <Table.Tr key={`${s.service} ${s.instance}`}>
                  <Table.Td>{s.service}</Table.Td>
                  <Table.Td>{s.instance}</Table.Td>
                  <Table.Td>
                    <Badge color={s.status === 'UP' ? 'green' : 'red'} variant="light">
                      {s.status}
                    </Badge>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Section>
        <Section title="Outbox and edges">
          <Text size="sm" data-testid="outbox">
            {pipeline.outbox.backlog === 0
              ? 'Outbox: nothing to publish'
              : `Outbox: ${count.format(pipeline.outbox.backlog)} to publish, the oldest ${age(pipeline.outbox.oldestAgeSeconds)} old`}
          </Text>
          <Table aria-label="Edges">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Edge</Table.Th>
                <Table.Th>Sessions</Table.Th>
                <Table.Th>Publishing</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {pipeline.edges.map((e) => (
                <Table.Tr key={e.edgeId}>
                  <Table.Td>{e.edgeId}</Table.Td>
                  <Table.Td>{count.format(e.sessions)}</Table.Td>
                  <Table.Td>{e.stopping ? 'stopping' : e.publishing ? 'yes' : 'no'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Section>
      </SimpleGrid>
      <Section title="Consumers">
        <Table aria-label="Consumers">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Group</Table.Th>
              <Table.Th>Topic</Table.Th>
              <Table.Th>Lag</Table.Th>
              <Table.Th>Oldest unprocessed</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {pipeline.consumers.map((c) => (
              <Table.Tr key={`${c.group} ${c.topic}`}>
                <Table.Td>{c.group}</Table.Td>
                <Table.Td>{c.topic}</Table.Td>
                <Table.Td>{count.format(c.lag)}</Table.Td>
                <Table.Td>{age(c.oldestAgeSeconds)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Section>
      <Section title="Dead letters">
        <Table aria-label="Dead letters">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Topic</Table.Th>
              <Table.Th>Records</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {pipeline.deadLetters.map((d) => (
              <Table.Tr key={d.topic}>
                <Table.Td>{d.topic}</Table.Td>
                <Table.Td>{count.format(d.records)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Section>
    </Stack>
  );
}
