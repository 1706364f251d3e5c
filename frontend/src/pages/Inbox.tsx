import { useState } from 'react';
import { Group, SegmentedControl, Select, Title } from '@mantine/core';
import { useRecommendations } from '../api/hooks';
import { QueryState } from '../components/common';
import { RecommendationList } from '../components/Recommendations';

/** Every orchestrator's recommendations, pending first. */
export function Inbox() {
  const [status, setStatus] = useState('PENDING');
  const [severity, setSeverity] = useState<string | null>(null);
  const recommendations = useRecommendations({ status: status === 'ALL' ? null : status, severity });
  return (
    <>
      <Title order={1} mb="md">
        Recommendations
      </Title>
      <Group mb="md" align="flex-end">
        <SegmentedControl
          aria-label="Decision"
          value={status}
          onChange={setStatus}
          data={[
            { value: 'PENDING', label: 'Pending' },
            { value: 'ACCEPTED', label: 'Accepted' },
            { value: 'REJECTED', label: 'Rejected' },
            { value: 'ALL', label: 'All' },
          ]}
        />
        <Select label="Severity" placeholder="Any" clearable data={['info', 'warning', 'critical']} value={severity} onChange={setSeverity} />
      </Group>
      <QueryState query={recommendations} label="recommendations" empty="Nothing here." isEmpty={(p) => p.items.length === 0}>
        {(page) => <RecommendationList recommendations={page.items} showOrchestrator />}
      </QueryState>
    </>
  );
}
