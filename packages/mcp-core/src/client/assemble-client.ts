// Builds the parts an MCPClient is a facade over and wires them to each other: the request
// path (middleware, admission, retries, limits, breaker, pool), the tool catalog, the
// notification and server-request routing, and the session lifecycle. The facade only calls.
import type { McpConnectionError } from '@tframex/mcp-api';
import type { SdkConnection } from '../adapter/sdk-adapter.js';
import { MiddlewarePipeline } from '../middleware/middleware-pipeline.js';
import type { CircuitBreaker } from '../resilience/circuit-breaker.js';
import { clientResilience } from '../resilience/client-resilience.js';
import type { RateLimiter } from '../resilience/rate-limiter.js';
import { RetryPolicy } from '../resilience/retry-policy.js';
import { AdmissionQueue } from './admission-queue.js';
import type { ClientSettings } from './client-settings.js';
import { ClientTelemetry } from './client-telemetry.js';
import { ConnectionPool } from './connection-pool.js';
import { NotificationRouter } from './notification-router.js';
import { RequestExecutor } from './request-executor.js';
import { ServerRequestRouter } from './server-request-router.js';
import { SessionLifecycle, sessionStateOf } from './session-lifecycle.js';
import { SessionLogLevel } from './session-log-level.js';
import { SubscriptionHub } from './subscription-hub.js';
import { ToolCaller } from './tool-caller.js';
import { ToolCatalog } from './tool-catalog.js';

export interface ClientParts {
  readonly telemetry: ClientTelemetry;
  readonly retry: RetryPolicy;
  readonly pipeline: MiddlewarePipeline;
  readonly breaker: CircuitBreaker | undefined;
  readonly limiter: RateLimiter | undefined;
  /** Lets go of shared limiter and breaker instances. */
  readonly releaseResilience: () => void;
  readonly queue: AdmissionQueue;
  readonly subscriptions: SubscriptionHub;
  readonly notifications: NotificationRouter;
  readonly catalog: ToolCatalog;
  readonly router: ServerRequestRouter;
  readonly lifecycle: SessionLifecycle;
  readonly pool: ConnectionPool;
  readonly executor: RequestExecutor;
  readonly tools: ToolCaller;
  readonly logLevel: SessionLogLevel;
}

/** What the parts need of the facade. */
export interface ClientHooks {
  isClosed(): boolean;
  closedError(): McpConnectionError;
}

export function assembleClient(
  settings: Readonly<ClientSettings>,
  hooks: ClientHooks,
): ClientParts {
  const { isClosed, closedError } = hooks;
  const telemetry = new ClientTelemetry(settings.name);
  const retry = new RetryPolicy({
    retryAttempts: settings.retryAttempts,
    retryDelayMs: settings.retryDelayMs,
    retryMaxDelayMs: settings.retryMaxDelayMs,
    jitter: settings.retryJitter,
    retryNonIdempotent: settings.retryNonIdempotent,
  });
  // Owned (from options) or shared instances (RateLimitHandler, MCPCircuitBreaker).
  const resilience = clientResilience(settings, telemetry.hub);
  const pipeline = new MiddlewarePipeline();
  const queue = new AdmissionQueue({
    server: settings.name,
    maxInFlight: settings.maxConnections,
    maxQueued: settings.maxQueuedRequests,
    closedError,
  });
  const subscriptions = new SubscriptionHub(
    () => ({ timeoutMs: settings.timeoutMs }),
    (error, event) => telemetry.listenerError('subscription-listener', event, error),
  );
  const logLevel = new SessionLogLevel(settings.timeoutMs);
  const catalog: ToolCatalog = new ToolCatalog({
    server: settings.name,
    security: settings.security,
    debounceMs: settings.toolsChangedDebounceMs,
    list: (listOptions) =>
      executor.run({
        method: 'tools/list',
        params: {},
        options: listOptions,
        idempotent: true,
        operation: (connection, sdkOptions) => connection.listTools(sdkOptions),
      }),
    onListed: () => watchToolList(),
    onRefreshed: (count) => telemetry.listChanged('tools', count),
  });
  const notifications = new NotificationRouter(telemetry, subscriptions, () => catalog.changed());
  const router = new ServerRequestRouter(settings.name, settings.handlers);
  const lifecycle = new SessionLifecycle((error) =>
    telemetry.listenerError('other', 'state', error),
  );

  /** Sets up a session that just opened, before any request uses it. */
  const opened = async (index: number, connection: SdkConnection, reconnected: boolean) => {
    if (reconnected && index === 0) {
      catalog.invalidate();
      void subscriptions.apply(connection).catch(() => undefined);
    }
    await logLevel.apply(connection);
  };

  const pool: ConnectionPool = new ConnectionPool(settings, telemetry, {
    serverRequestHandlers: () => router.handlers(),
    onStateChange: (_index, change) => {
      if (isClosed()) return;
      lifecycle.set(sessionStateOf(pool.slots.map((slot) => slot.state)), change.error);
    },
    onNotification: (index, method, params) => notifications.route(index, method, params),
    onOpened: opened,
    onLost: (index) => {
      // With subscribers waiting for events, come back at once rather than on next use.
      if (index === 0 && subscriptions.size > 0 && !isClosed()) {
        void pool.slots[0]!.get().catch(() => undefined);
      }
    },
  });

  /**
   * Keeps the cached tool list fresh. A legacy server pushes `tools/list_changed` on its own;
   * a 2026-07-28 server only on a `subscriptions/listen` stream, so once there is a list to
   * keep fresh the client holds one open (and reopens it after reconnects) with no user
   * subscription needed.
   */
  const watchToolList = (): void => {
    const connection = pool.primary;
    if (
      isClosed() ||
      connection?.protocolEra !== 'modern' ||
      connection.capabilities?.tools?.listChanged !== true ||
      subscriptions.watchingToolChanges
    )
      return;
    subscriptions.watchToolChanges(true);
    // A stream that cannot open now is tried again with the next listing.
    void subscriptions.apply(connection).catch(() => subscriptions.watchToolChanges(false));
  };

  const executor: RequestExecutor = new RequestExecutor({
    settings,
    telemetry,
    pipeline,
    queue,
    retry,
    limiter: resilience.limiter,
    breaker: resilience.breaker,
    pool,
    isClosed,
    closedError,
    toolsKnown: () => catalog.known,
    router,
    learnIdempotent: (tool, signal) =>
      catalog.list({ signal }).then(
        () => catalog.isIdempotent(tool),
        () => false,
      ),
  });
  const tools = new ToolCaller(settings.name, executor, catalog, settings.security);

  return {
    telemetry,
    retry,
    pipeline,
    breaker: resilience.breaker,
    limiter: resilience.limiter,
    releaseResilience: resilience.release,
    queue,
    subscriptions,
    notifications,
    catalog,
    router,
    lifecycle,
    pool,
    executor,
    tools,
    logLevel,
  };
}
