// MemoryCircuitStateStore: the in-process McpCircuitStateStore, the default where one
// process is all there is; a Redis one takes its place across processes.
import type { McpCircuitRecord, McpCircuitStateStore } from '@tframex/mcp-api';

interface Entry extends McpCircuitRecord {
  probe?: { holder: string; untilMs: number };
}

export class MemoryCircuitStateStore implements McpCircuitStateStore {
  readonly #entries = new Map<string, Entry>();
  readonly #now: () => number;

  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }

  #entry(key: string): Entry {
    let entry = this.#entries.get(key);
    if (!entry) this.#entries.set(key, (entry = { state: 'closed', failures: 0 }));
    return entry;
  }

  #record(entry: Entry): McpCircuitRecord {
    return {
      state: entry.state,
      failures: entry.failures,
      ...(entry.openedAtMs !== undefined ? { openedAtMs: entry.openedAtMs } : {}),
    };
  }

  async read(key: string): Promise<McpCircuitRecord> {
    return this.#record(this.#entry(key));
  }

  async recordFailure(key: string, options: { threshold: number }): Promise<McpCircuitRecord> {
    const entry = this.#entry(key);
    entry.failures += 1;
    if (
      entry.state === 'half-open' ||
      (entry.state === 'closed' && entry.failures >= options.threshold)
    ) {
      entry.state = 'open';
      entry.openedAtMs = this.#now();
      delete entry.probe;
    }
    return this.#record(entry);
  }

  async recordSuccess(key: string): Promise<McpCircuitRecord> {
    const entry = this.#entry(key);
    entry.state = 'closed';
    entry.failures = 0;
    delete entry.openedAtMs;
    delete entry.probe;
    return this.#record(entry);
  }

  async acquireProbe(
    key: string,
    options: { holder: string; recoveryMs: number; leaseMs: number },
  ): Promise<boolean> {
    const entry = this.#entry(key);
    const now = this.#now();
    if (entry.state === 'closed') return false;
    if (entry.state === 'open') {
      if (now - (entry.openedAtMs ?? now) < options.recoveryMs) return false;
      entry.state = 'half-open';
    }
    if (entry.probe && entry.probe.untilMs > now && entry.probe.holder !== options.holder)
      return false;
    entry.probe = { holder: options.holder, untilMs: now + options.leaseMs };
    return true;
  }

  async releaseProbe(key: string, holder: string): Promise<void> {
    const entry = this.#entries.get(key);
    if (entry?.probe?.holder === holder) delete entry.probe;
  }
}
