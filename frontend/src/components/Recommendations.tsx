import { useState } from 'react';
import { Anchor, Badge, Button, Card, Group, Stack, Text, Textarea } from '@mantine/core';
import { Link } from 'react-router';
import { useDecide } from '../api/hooks';
import type { Decision, Recommendation } from '../api/types';
import { useSession } from '../auth';
import { ErrorMessage, RelativeTime } from './common';

const SEVERITY_COLORS = { info: 'blue', warning: 'orange', critical: 'red' } as const;

/** Recommendations as cards; admins accept or reject the pending ones with a note. */
export function RecommendationList({ recommendations, showOrchestrator }: { recommendations: Recommendation[]; showOrchestrator?: boolean }) {
  return (
    <Stack aria-label="Recommendations">
      {recommendations.map((r) => (
        <RecommendationCard key={r.id} recommendation={r} showOrchestrator={showOrchestrator} />
      ))}
    </Stack>
  );
}

function RecommendationCard({ recommendation: r, showOrchestrator }: { recommendation: Recommendation; showOrchestrator?: boolean }) {
  const { canChange } = useSession();
  const decide = useDecide();
  const [note, setNote] = useState('');
  const titleId = `recommendation-${r.id}`;
  const submit = (decision: Decision) => decide.mutate({ id: r.id, decision, note: note.trim() });
  return (
    <Card withBorder component="article" aria-labelledby={titleId} data-testid={titleId}>
      <Group justify="space-between" mb="xs">
        <Text fw={600} id={titleId}>
          {r.title}
        </Text>
        <Group gap="xs">
          <Badge color={SEVERITY_COLORS[r.severity]} variant="light">
            {r.severity}
          </Badge>
          <Badge color={r.status === 'PENDING' ? 'yellow' : r.status === 'ACCEPTED' ? 'green' : 'gray'} variant="outline">
            {r.status}
          </Badge>
        </Group>
      </Group>
      {r.description && <Text size="sm" mb="xs">{r.description}</Text>}
      <Text size="xs" c="dimmed">
        {showOrchestrator && (
          <>
            <Anchor component={Link} to={`/orchestrators/${encodeURIComponent(r.orchestratorId)}`} size="xs">
              {r.orchestratorId}
            </Anchor>
            {' · '}
          </>
        )}
        {r.category ?? 'general'} · received <RelativeTime at={r.receivedAt} />
      </Text>
      {r.status !== 'PENDING' && (
        <Text size="sm" mt="xs">
          {r.status === 'ACCEPTED' ? 'Accepted' : 'Rejected'} by {r.decidedBy}
          {r.decisionNote ? `: “${r.decisionNote}”` : ''}
        </Text>
      )}
      {r.status === 'PENDING' && canChange && (
        <Stack mt="sm" gap="xs">
          <Textarea label="Note" placeholder="Why (optional)" rows={2} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
          <ErrorMessage error={decide.error} />
          <Group>
            <Button size="xs" loading={decide.isPending} onClick={() => submit('ACCEPTED')} aria-label={`Accept ${r.title}`}>
              Accept
            </Button>
            <Button size="xs" color="red" variant="light" loading={decide.isPending} onClick={() => submit('REJECTED')} aria-label={`Reject ${r.title}`}>
              Reject
            </Button>
          </Group>
        </Stack>
      )}
    </Card>
  );
}
