import { expect, vi } from 'vitest';
import { watchOf } from '../features/events/api/watch';

/**
 * The browser's EventSource, driven by the test: control-api's stream as the dashboard hears it.
 * Every stream the dashboard opened is kept, in order.
 */
export class TestEventSource {
  static opened: TestEventSource[] = [];
  readonly listeners = new Map<string, Array<(event: { data: string; lastEventId: string }) => void>>();
  onerror: (() => void) | null = null;
  closed = false;

  constructor(readonly url: string) {
    TestEventSource.opened.push(this);
  }

  static get last(): TestEventSource | undefined {
    return TestEventSource.opened.at(-1);
  }

  /** The `watch` parameter of a stream that watches these orchestrators. */
  static watchParam(ids: string[]): string {
    return `watch=${watchOf([...ids].sort())}`;
  }

  /**
   * The stream, once the dashboard has opened one that watches these orchestrators (those its pages
   * show): it opens a new one whenever what they show changes.
   */
  static async watching(ids: string[]): Promise<TestEventSource> {
    await vi.waitFor(() => expect(TestEventSource.last?.url).toContain(TestEventSource.watchParam(ids)), { timeout: 5000 });
    return TestEventSource.last!;
  }

  addEventListener(type: string, listener: (event: { data: string; lastEventId: string }) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  /** The server sends an event: its name, its data (as JSON) and its id. */
  emit(type: string, data: unknown = {}, id = '') {
    this.listeners.get(type)?.forEach((listener) => listener({ data: JSON.stringify(data), lastEventId: id }));
  }

  /** The server ends the stream (its credential expired, or it reached its maximum age). */
  end() {
    this.onerror?.();
  }

  close() {
    this.closed = true;
  }
}
