import { useQuery } from '@tanstack/react-query';
import { api } from '../../../api/client';

/** `GET /api/v1/controller/pipeline`: the pipeline as control-api gathered it (at most once a second). */
export interface Pipeline {
  at: string;
  status: 'ok' | 'degraded';
  /** What makes it degraded, one line each. */
  problems: string[];
  services: { service: string; instance: string; status: string }[];
  consumers: { group: string; topic: string; lag: number; oldestAgeSeconds: number | null }[];
  outbox: { backlog: number; oldestAgeSeconds: number | null };
  deadLetters: { topic: string; records: number }[];
  edges: { edgeId: string; sessions: number; publishing: boolean; stopping: boolean; at: string }[];
}

/** How often the page, and the header's indicator, read the pipeline again. */
export const PIPELINE_REFRESH_MS = 5_000;

export const usePipeline = (refreshMs = PIPELINE_REFRESH_MS) =>
  useQuery({
    queryKey: ['pipeline'],
    queryFn: () => api<Pipeline>('/api/v1/controller/pipeline'),
    refetchInterval: refreshMs,
  });
