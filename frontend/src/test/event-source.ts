/**
 * The browser's EventSource, driven by the test: control-api's stream as the dashboard hears it.
 * Every stream the dashboard opened is kept, in order.
 */
export class TestEventSource {
  static opened: TestEventSource[] = [];
  readonly listeners = new Map<string, Array<() => void>>();
  onerror: (() => void) | null = null;
  closed = false;

  constructor(readonly url: string) {
    TestEventSource.opened.push(this);
  }

  static get last(): TestEventSource | undefined {
    return TestEventSource.opened.at(-1);
  }

  addEventListener(type: string, listener: () => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  emit(type: string) {
    this.listeners.get(type)?.forEach((listener) => listener());
  }

  /** The server ends the stream (its credential expired, or it reached its maximum age). */
  end() {
    this.onerror?.();
  }

  close() {
    this.closed = true;
  }
}
