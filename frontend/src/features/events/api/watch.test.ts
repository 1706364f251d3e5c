import { describe, expect, it } from 'vitest';
import { watchOf } from './watch';

describe('watchOf', () => {
  it('hashes as control-api does', () => {
    // The same filter as control-api's LiveDeltasTest.theDashboardAndControlApiHashAlike.
    expect(watchOf(['fleet-1', 'fleet-22'], 16)).toBe('AAAAABAAIEEQBAAEAAAAgA');
  });
});

describe('watchOf, sized', () => {
  it('grows with the ids, and gives up beyond what control-api takes', () => {
    expect(watchOf([])).toHaveLength(11); // 8 bytes
    expect(watchOf(Array.from({ length: 200 }, (_, i) => `o-${i}`))).toHaveLength(534); // 400 bytes
    expect(watchOf(Array.from({ length: 513 }, (_, i) => `o-${i}`))).toBeNull();
  });
});
