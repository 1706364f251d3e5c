import { Link } from 'react-router';
import { Badge } from '@mantine/core';
import { usePipeline } from '../api/pipeline';

/** In the header, whenever the pipeline is degraded: a warning that links to the pipeline page. */
export function PipelineIndicator() {
  const pipeline = usePipeline();
  if (pipeline.data?.status !== 'degraded') return null;
  const problems = pipeline.data.problems.length;
  return (
    <Badge component={Link} to="/pipeline" color="red" variant="light" style={{ cursor: 'pointer' }}
      aria-label={`Pipeline degraded: ${problems} ${problems === 1 ? 'problem' : 'problems'}`}>
      Pipeline degraded
    </Badge>
  );
}
