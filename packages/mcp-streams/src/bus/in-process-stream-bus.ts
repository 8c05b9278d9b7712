// The StreamBus of one process: topics kept in memory (the last `maxLen` entries), consumer
// groups that split each topic between their members, acknowledgement when a handler
// resolves, and redelivery of what a stopped member or a throwing handler left behind.
import {
  McpConfigError,
  type JsonValue,
  type StreamBus,
  type StreamBusConsumeOptions,
  type StreamBusConsumer,
  type StreamBusEntry,
  type StreamBusHandler,
} from '@tframex/mcp-api';

export interface InProcessStreamBusOptions {
  /** Entries a topic keeps (default 10 000); older ones are trimmed, read or not. */
  maxLen?: number;
}

interface StoredEntry {
  id: string;
  payload: JsonValue;
}

interface Member {
  name: string;
  handler: StreamBusHandler;
  maxInFlight: number;
  inFlight: number;
  active: boolean;
  onError: ((error: unknown) => void) | undefined;
  resolveStopped: () => void;
}

interface Group {
  topic: Topic;
  /** Sequence number (in the topic) of the next entry never delivered to this group. */
  cursor: number;
  /** Entries to deliver again, oldest first, with the member that last had them. */
  redeliver: { entry: StoredEntry; owner: string | undefined }[];
  members: Member[];
  /** Round-robin position among members. */
  turn: number;
  claimIdleMs: number;
  timers: Set<ReturnType<typeof setTimeout>>;
}

interface Topic {
  entries: StoredEntry[];
  /** Sequence number of entries[0]. */
  first: number;
  next: number;
  groups: Map<string, Group>;
}

export class InProcessStreamBus implements StreamBus {
  readonly #maxLen: number;
  readonly #topics = new Map<string, Topic>();
  #closed = false;

  constructor(options: InProcessStreamBusOptions = {}) {
    const maxLen = options.maxLen ?? 10_000;
    if (!Number.isInteger(maxLen) || maxLen < 1) {
      throw new McpConfigError('InProcessStreamBus maxLen must be a whole number ≥ 1', {
        field: 'maxLen',
        expected: 'a whole number ≥ 1',
        received: maxLen,
      });
    }
    this.#maxLen = maxLen;
  }

  publish(topicName: string, payload: JsonValue): Promise<string> {
    if (this.#closed) return Promise.reject(closedError());
    const topic = this.#topic(topicName);
    const entry = { id: `${Date.now()}-${topic.next}`, payload };
    topic.next++;
    topic.entries.push(entry);
    if (topic.entries.length > this.#maxLen) {
      topic.entries.splice(0, topic.entries.length - this.#maxLen);
      topic.first = topic.next - topic.entries.length;
    }
    for (const group of topic.groups.values()) this.#dispatch(topic, group);
    return Promise.resolve(entry.id);
  }

  consume(
    topicName: string,
    options: StreamBusConsumeOptions,
    handler: StreamBusHandler,
  ): Promise<StreamBusConsumer> {
    if (this.#closed) return Promise.reject(closedError());
    const topic = this.#topic(topicName);
    let group = topic.groups.get(options.group);
    if (!group) {
      group = {
        topic,
        cursor: options.startAt === 'start' ? topic.first : topic.next,
        redeliver: [],
        members: [],
        turn: 0,
        claimIdleMs: options.claimIdleMs ?? 30_000,
        timers: new Set(),
      };
      topic.groups.set(options.group, group);
    }
    let resolveStopped!: () => void;
    const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));
    const member: Member = {
      name: options.consumer,
      handler,
      maxInFlight: options.maxInFlight ?? 1000,
      inFlight: 0,
      active: true,
      onError: options.onError,
      resolveStopped,
    };
    group.members.push(member);
    const stop = () => {
      if (!member.active) return stopped;
      member.active = false;
      group.members.splice(group.members.indexOf(member), 1);
      member.resolveStopped();
      this.#dispatch(topic, group);
      return stopped;
    };
    options.signal?.addEventListener('abort', () => void stop(), { once: true });
    if (options.signal?.aborted) void stop();
    queueMicrotask(() => this.#dispatch(topic, group));
    return Promise.resolve({ stop, stopped });
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const topic of this.#topics.values()) {
      for (const group of topic.groups.values()) {
        for (const timer of group.timers) clearTimeout(timer);
        for (const member of [...group.members]) {
          member.active = false;
          member.resolveStopped();
        }
        group.members = [];
      }
    }
    this.#topics.clear();
  }

  #topic(name: string): Topic {
    let topic = this.#topics.get(name);
    if (!topic)
      this.#topics.set(name, (topic = { entries: [], first: 0, next: 0, groups: new Map() }));
    return topic;
  }

  /** Hands out what the group has to deliver, round-robin among members with room. */
  #dispatch(topic: Topic, group: Group): void {
    for (;;) {
      const member = this.#pickMember(group);
      if (!member) return;
      let entry: StoredEntry | undefined;
      let redelivered = false;
      if (group.redeliver.length > 0) {
        // A member gets back what it had before; others take over what nobody claims.
        const own = group.redeliver.findIndex((item) => item.owner === member.name);
        entry = group.redeliver.splice(own >= 0 ? own : 0, 1)[0]!.entry;
        redelivered = true;
      } else {
        if (group.cursor < topic.first) group.cursor = topic.first; // trimmed before it was read
        if (group.cursor >= topic.next) return;
        entry = topic.entries[group.cursor - topic.first]!;
        group.cursor++;
      }
      group.turn = (group.members.indexOf(member) + 1) % group.members.length;
      this.#deliver(group, member, entry, redelivered);
    }
  }

  #pickMember(group: Group): Member | undefined {
    const { members } = group;
    for (let i = 0; i < members.length; i++) {
      const member = members[(group.turn + i) % members.length]!;
      if (member.inFlight < member.maxInFlight) return member;
    }
    return undefined;
  }

  #deliver(group: Group, member: Member, stored: StoredEntry, redelivered: boolean): void {
    member.inFlight++;
    const entry: StreamBusEntry = { id: stored.id, payload: stored.payload, redelivered };
    const settle = () => {
      member.inFlight--;
    };
    let result: void | Promise<void>;
    try {
      result = member.handler(entry);
    } catch (error) {
      settle();
      this.#failed(group, member, stored, error);
      return;
    }
    if (result && typeof result.then === 'function') {
      result.then(
        () => {
          settle();
          this.#redispatchSoon(group);
        },
        (error: unknown) => {
          settle();
          this.#failed(group, member, stored, error);
        },
      );
    } else {
      settle();
    }
  }

  /**
   * Not acknowledged. A stopped member's entries go back to the group at once; a handler that
   * threw gets its entry again after claimIdleMs (or another member does).
   */
  #failed(group: Group, member: Member, entry: StoredEntry, error: unknown): void {
    if (!member.active) {
      group.redeliver.push({ entry, owner: member.name });
      this.#redispatchSoon(group);
      return;
    }
    member.onError?.(error);
    const timer = setTimeout(() => {
      group.timers.delete(timer);
      group.redeliver.push({ entry, owner: member.name });
      this.#redispatchSoon(group);
    }, group.claimIdleMs);
    group.timers.add(timer);
  }

  #redispatchSoon(group: Group): void {
    if (!this.#closed) this.#dispatch(group.topic, group);
  }
}

function closedError(): McpConfigError {
  return new McpConfigError('The InProcessStreamBus is closed', {
    field: 'bus',
    expected: 'an open bus',
  });
}
