import { Link } from 'react-router';
import { Alert, Anchor, Text } from '@mantine/core';
import { useSummary } from '../api/fleet';
import { STATUSES, type Status, type StatusChanges } from '../../../api/types';

/** What having moved to a status says about orchestrators, for one and for several. */
const WHY: Record<Status, [one: string, several: string]> = {
  UNKNOWN: ['its edge cannot be heard', 'their edge cannot be heard'],
  INACTIVE: ['it stopped heartbeating or disconnected', 'they stopped heartbeating or disconnected'],
  ACTIVE: ['it is heartbeating', 'they are heartbeating'],
  INDEPENDENT: ['it was set free', 'they were set free'],
  PENDING: ['it is registered and not yet seen', 'they are registered and not yet seen'],
};

/** The status most of them moved to (the first of STATUSES on a tie), and how many did. */
function mostMovedTo(changes: StatusChanges): [Status, number] {
  return STATUSES.map((s): [Status, number] => [s, changes.byStatus[s] ?? 0]).reduce((most, next) =>
    next[1] > most[1] ? next : most,
  );
}

/**
 * On every page: a warning when more than the configured share of the fleet changed status within
 * the last minute (an edge lost, a network split, a bad release), saying where most of them went and
 * linking to the fleet filtered by that status. control-api counts the changes; the live events
 * re-read them as they are stored.
 */
export function MassChangeBanner() {
  const changes = useSummary().data?.changes;
  if (!changes?.massChange) return null;
  const [status, count] = mostMovedTo(changes);
  const one = count === 1;
  return (
    <Alert color="orange" title="Mass status change" mb="md">
      <Text size="sm">
        {changes.orchestrators} {changes.orchestrators === 1 ? 'orchestrator' : 'orchestrators'} (
        {Math.round(changes.share * 100)}%) changed status in the last minute — {count} {one ? 'is' : 'are'} {status}:{' '}
        {WHY[status][one ? 0 : 1]}.{' '}
        <Anchor component={Link} to={`/?status=${status}`} c="inherit" fw={600}>
          Show the {status} orchestrators
        </Anchor>
      </Text>
    </Alert>
  );
}
