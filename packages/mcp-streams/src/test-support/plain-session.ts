// A plain-object McpSession (the seam's second implementation): no server behind it, the test
// hands it notifications directly. Used for what the SDK client never passes on (malformed
// log messages), and to show MCPStream needs nothing but the McpSession interface.
import type {
  McpNotification,
  McpNotificationHandler,
  McpSession,
  McpSessionState,
  McpSessionStateChange,
  McpSubscriptionEnd,
  McpSubscriptionEvent,
  McpSubscriptionFilter,
} from '@tframex/mcp-api';

/** A subscription the plain session handed out; the test ends it or feeds it events. */
export interface PlainSubscription {
  filter: McpSubscriptionFilter;
  listener: (event: McpSubscriptionEvent) => void;
  end(reason: McpSubscriptionEnd): void;
}

export interface PlainSession extends McpSession {
  deliver(notification: McpNotification): void;
  setState(state: McpSessionState): void;
  /** Every subscription opened, in order. */
  readonly subscriptions: PlainSubscription[];
}

export function plainSession(name = 'plain'): PlainSession {
  const handlers = new Map<string, Set<McpNotificationHandler>>();
  const stateListeners = new Set<(change: McpSessionStateChange) => void>();
  let state: McpSessionState = 'connected';
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  const notOffered = (what: string) => () =>
    Promise.reject(new Error(`the plain session offers no ${what}`));
  const subscriptions: PlainSubscription[] = [];
  const session: PlainSession = {
    subscriptions,
    name,
    serverInfo: { name, version: '0' },
    capabilities: {},
    protocolVersion: '2025-11-25',
    protocolEra: 'legacy',
    instructions: undefined,
    listTools: () => Promise.resolve([]),
    callTool: notOffered('tools'),
    listResources: () => Promise.resolve([]),
    listResourceTemplates: () => Promise.resolve([]),
    readResource: notOffered('resources'),
    listPrompts: () => Promise.resolve([]),
    getPrompt: notOffered('prompts'),
    complete: notOffered('completions'),
    setLoggingLevel: () => Promise.resolve(),
    ping: () => Promise.resolve(),
    subscribe(filter, listener) {
      let resolveEnd!: (reason: McpSubscriptionEnd) => void;
      const ended = new Promise<McpSubscriptionEnd>((resolve) => (resolveEnd = resolve));
      subscriptions.push({ filter, listener, end: resolveEnd });
      return Promise.resolve({
        filter,
        closed: ended,
        close: () => {
          resolveEnd('local');
          return Promise.resolve();
        },
      });
    },
    onNotification(method, handler) {
      let set = handlers.get(method);
      if (!set) handlers.set(method, (set = new Set()));
      const entry: McpNotificationHandler = (n) => handler(n);
      set.add(entry);
      return () => set.delete(entry);
    },
    get state() {
      return state;
    },
    onStateChange(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    closed,
    deliver(notification) {
      for (const handler of handlers.get(notification.method) ?? []) handler(notification);
    },
    setState(next) {
      const previous = state;
      state = next;
      for (const listener of stateListeners) listener({ state: next, previous });
      if (next === 'closed') resolveClosed();
    },
    close() {
      session.setState('closed');
      return Promise.resolve();
    },
  };
  return session;
}
