import type { QueryClient } from '@tanstack/react-query';
import type { Instance, Page } from '../../../api/types';

/**
 * What the dashboard shows, as the Bloom filter control-api's event stream takes (`watch`): the
 * stream then carries only those orchestrators' changes, and counts the others. 16 bits an id and
 * 4 hashes (FNV-1a with two offset bases, combined as h1 + i·h2), hashed exactly as control-api's
 * `Watch` does.
 */
const FNV_PRIME = 0x01000193;
const BASIS = 0x811c9dc5;
const SECOND_BASIS = 0x5bd1e995;
const HASHES = 4;
/** The largest filter control-api takes (512 ids); beyond it the dashboard watches everything. */
const MAX_BYTES = 1024;

function fnv1a(bytes: Uint8Array, basis: number): number {
  let hash = basis;
  for (const b of bytes) hash = Math.imul(hash ^ b, FNV_PRIME);
  return hash >>> 0;
}

/** The filter holding these ids, base64url, `bytes` long (by default 2 an id, at least 8); null when too large to send. */
export function watchOf(ids: string[], bytes = Math.max(8, 2 * ids.length)): string | null {
  if (bytes > MAX_BYTES) return null;
  const bits = new Uint8Array(bytes);
  const m = bytes * 8;
  const utf8 = new TextEncoder();
  for (const id of ids) {
    const encoded = utf8.encode(id);
    const h1 = fnv1a(encoded, BASIS);
    const h2 = fnv1a(encoded, SECOND_BASIS);
    for (let i = 0; i < HASHES; i++) {
      const bit = ((h1 + Math.imul(i, h2)) >>> 0) % m;
      bits[bit >> 3] |= 1 << (bit & 7);
    }
  }
  return btoa(String.fromCharCode(...bits)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/**
 * The orchestrators the open pages show (their lists, an orchestrator's page and its history);
 * undefined while one is still loading. A page whose rows changes may move watches its rows too:
 * the stream's count of the others' changes tells it when to read itself again.
 */
export function shownIds(client: QueryClient): string[] | undefined {
  const ids = new Set<string>();
  for (const query of client.getQueryCache().getAll()) {
    if (query.getObserversCount() === 0) continue;
    const [first, second] = query.queryKey;
    if (first === 'instances') {
      const data = query.state.data as Page<Instance> | Instance | undefined;
      if (data === undefined) {
        if (query.state.fetchStatus === 'fetching') return undefined;
        // Failed, or not asked for: nothing of it is shown; a failed list is read again when it is.
        continue;
      }
      idsOf(data).forEach((id) => ids.add(id));
    } else if (first === 'independence' || first === 'windows' || first === 'transitions') {
      ids.add(String(second));
    }
  }
  return [...ids].sort();
}

/** The orchestrators a list of them, or one orchestrator's page, shows. */
export function idsOf(data: Page<Instance> | Instance): string[] {
  return 'items' in data ? data.items.map((i) => i.orchestratorId) : [data.orchestratorId];
}
