// One connection of an MCPTestClient: an SDK client on a transport (HTTP, stdio or an in-memory
// pair), the server-request capabilities it announced, and the bookkeeping the client needs to
// replace it or notice it was lost.
import type { McpNotification, McpServerRequestMethod } from '@tframex/mcp-api';
import { createAuthFetch, type FetchFunction, type McpAuthPlugin } from '@tframex/mcp-auth-api';
import type { McpEndpointFields, McpTransportKind } from '@tframex/mcp-telemetry-api';
import {
  StreamableHTTPClientTransport,
  type Implementation,
  type Notification,
  type Transport,
} from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { MockMCPServer } from '../server/mock-mcp-server.js';
import { AttributingClient, type RequestOrigin } from './attributing-client.js';
import type { HttpObserver } from './http-observer.js';
import type { LiveSubscription } from './live-subscription.js';
import { SubscriptionUnion, type StreamEnd } from './subscription-union.js';
import { ServerRequestRouter, SERVER_REQUEST_METHODS } from './server-request-router.js';

/** A stdio server to spawn, e.g. from `mockServerCommand(...)`. */
export interface StdioCommand {
  command: string;
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
}

export type MCPTestClientTarget = string | URL | MockMCPServer | StdioCommand;

export interface ConnectionSettings {
  readonly target: MCPTestClientTarget;
  readonly era: 'legacy' | 'modern' | 'auto';
  readonly clientInfo: Implementation;
  readonly auth?: McpAuthPlugin;
  readonly headers?: Record<string, string>;
  readonly fetch?: FetchFunction;
  readonly server: string;
}

export interface ConnectionHooks {
  readonly router: ServerRequestRouter;
  readonly http: HttpObserver;
  onNotification(connection: TestConnection, notification: McpNotification): void;
  /** A listen stream ended without the client closing it (2026-07-28). */
  onStreamBroken(connection: TestConnection, members: LiveSubscription[], end: StreamEnd): void;
  /** A legacy session's GET stream ended without the client closing it. */
  onEventStreamEnded(connection: TestConnection, error: unknown): void;
}

const NOTIFICATION_METHODS = [
  'notifications/message',
  'notifications/resources/updated',
  'notifications/resources/list_changed',
  'notifications/tools/list_changed',
  'notifications/prompts/list_changed',
  'notifications/elicitation/complete',
] as const;

function notificationOf(notification: Notification): McpNotification {
  return notification.params === undefined
    ? { method: notification.method }
    : { method: notification.method, params: notification.params as Record<string, unknown> };
}

function serverUrl(server: MockMCPServer): string | undefined {
  if (!server.running) return undefined;
  try {
    return server.url;
  } catch {
    // Started in memory or over stdio: no URL.
    return undefined;
  }
}

/** The transport a target is reached by, before any connection exists. */
export function transportKindOf(target: MCPTestClientTarget): McpTransportKind {
  if (typeof target === 'string' || target instanceof URL) return 'streamable-http';
  if (target instanceof MockMCPServer)
    return serverUrl(target) !== undefined ? 'streamable-http' : 'memory';
  return 'stdio';
}

export class TestConnection {
  readonly client: AttributingClient;
  readonly transport: Transport;
  readonly kind: McpTransportKind;
  readonly url: URL | undefined;
  /** Server-request methods this connection announced. */
  readonly methods: ReadonlySet<McpServerRequestMethod>;
  /** Legacy HTTP: server request id → the request whose response stream brought it. */
  readonly origins = new Map<string | number, RequestOrigin>();
  /** Its subscriptions, applied to the server as one union. */
  readonly subscriptions: SubscriptionUnion<LiveSubscription>;
  /** Listen streams that broke since a notification last arrived (guards against a loop). */
  quietBreaks = 0;
  /** `Date.now()` when it connected. */
  connectedAt: number | undefined;
  /** What it negotiated, kept past close (the SDK forgets it then), for the events of its end. */
  #negotiated: { protocolVersion?: string; sessionId?: string } = {};
  inFlight = 0;
  /** Lost or replaced: no longer used for new requests, its notifications are ignored. */
  retired = false;
  /** Whether closing it ends its session at the server (DELETE), false once the server ended it. */
  endSession = true;
  /** What the SDK last reported as going wrong on it. */
  lastError: unknown;
  #shutdown: Promise<void> | undefined;

  constructor(settings: ConnectionSettings, hooks: ConnectionHooks) {
    const target = settings.target;
    if (target instanceof MockMCPServer) {
      const url = serverUrl(target);
      this.url = url === undefined ? undefined : new URL(url);
    } else if (typeof target === 'string' || target instanceof URL) this.url = new URL(target);
    else this.url = undefined;

    if (this.url) {
      this.kind = 'streamable-http';
      this.transport = httpTransport(this.url, settings, hooks.http, (error) =>
        hooks.onEventStreamEnded(this, error),
      );
    } else if (target instanceof MockMCPServer) {
      this.kind = 'memory';
      this.transport = target.createMemoryTransport();
    } else {
      const command = target as StdioCommand;
      this.kind = 'stdio';
      this.transport = new StdioClientTransport({
        command: command.command,
        ...(command.args ? { args: command.args } : {}),
        ...(command.env ? { env: command.env } : {}),
        ...(command.cwd ? { cwd: command.cwd } : {}),
      });
    }

    this.methods = hooks.router.declared();
    const client = new AttributingClient(settings.clientInfo, {
      capabilities: ServerRequestRouter.capabilities(this.methods),
      versionNegotiation: {
        mode: settings.era === 'modern' ? { pin: '2026-07-28' } : settings.era,
      },
    });
    for (const method of SERVER_REQUEST_METHODS) {
      if (!this.methods.has(method)) continue;
      // One dispatcher per method: the router picks the handler at the time of the request.
      client.setRequestHandler(method, async (request, context) => {
        const origin = client.origins.getStore() ?? this.#takeOrigin(context.mcpReq.id);
        const params = (request.params ?? {}) as Record<string, unknown>;
        return (await hooks.router.answer(method, params, context.mcpReq.signal, origin)) as never;
      });
    }
    for (const method of NOTIFICATION_METHODS) {
      client.setNotificationHandler(method, (notification) =>
        hooks.onNotification(this, notificationOf(notification)),
      );
    }
    client.fallbackNotificationHandler = async (notification) =>
      hooks.onNotification(this, notificationOf(notification));
    client.onerror = (error) => {
      this.lastError = error;
    };
    this.client = client;
    this.subscriptions = new SubscriptionUnion(client, (members, end) =>
      hooks.onStreamBroken(this, members, end),
    );
  }

  #takeOrigin(id: string | number): RequestOrigin | undefined {
    const origin = this.origins.get(id);
    this.origins.delete(id);
    return origin;
  }

  get sessionId(): string | undefined {
    return this.transport.sessionId;
  }

  /** Marks it connected, remembering what it negotiated. */
  opened(): void {
    this.connectedAt = Date.now();
    const protocolVersion = this.client.getNegotiatedProtocolVersion();
    const sessionId = this.transport.sessionId;
    this.#negotiated = {
      ...(protocolVersion ? { protocolVersion } : {}),
      ...(sessionId ? { sessionId } : {}),
    };
  }

  /** Where requests on this connection go, for telemetry. */
  endpoint(): McpEndpointFields {
    const protocolVersion =
      this.client.getNegotiatedProtocolVersion() ?? this.#negotiated.protocolVersion;
    const sessionId = this.transport.sessionId ?? this.#negotiated.sessionId;
    const url = this.url;
    return {
      connection: 0,
      transport: this.kind,
      ...(protocolVersion ? { protocolVersion } : {}),
      ...(sessionId ? { sessionId } : {}),
      ...(url
        ? {
            serverAddress: url.hostname.replace(/^\[|\]$/g, ''),
            serverPort: url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80,
          }
        : {}),
    };
  }

  /** Closes it once; `terminate` ends a legacy HTTP session with DELETE first. */
  shutdown(terminate: boolean): Promise<void> {
    this.retired = true;
    return (this.#shutdown ??= (async () => {
      const transport = this.transport;
      if (
        terminate &&
        transport instanceof StreamableHTTPClientTransport &&
        transport.sessionId !== undefined
      ) {
        await transport.terminateSession().catch(() => undefined);
      }
      await this.client.close().catch(() => undefined);
      this.subscriptions.close();
    })());
  }
}

/** The same stream, telling `onEnd` when it ends or breaks (not when its reader cancels it). */
function watchEnd(
  body: ReadableStream<Uint8Array>,
  onEnd: (error: unknown) => void,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let next: Awaited<ReturnType<typeof reader.read>>;
      try {
        next = await reader.read();
      } catch (error) {
        controller.error(error);
        onEnd(error);
        return;
      }
      if (next.done) {
        controller.close();
        onEnd(undefined);
      } else controller.enqueue(next.value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

function httpTransport(
  url: URL,
  settings: ConnectionSettings,
  http: HttpObserver,
  onEventStreamEnded: (error: unknown) => void,
): Transport {
  const base: FetchFunction = settings.fetch ?? ((input, init) => fetch(input, init));
  const authed = settings.auth
    ? createAuthFetch(settings.auth, { fetch: base, server: settings.server })
    : base;
  // A legacy session's GET stream carries every notification not tied to a request. The SDK
  // tries to reopen a broken one a couple of times and then gives up without a word, so the
  // client is told when it ends and treats that as a lost connection.
  const watched: FetchFunction = async (input, init) => {
    if ((init?.method ?? 'GET').toUpperCase() !== 'GET') return authed(input, init);
    let response: Response;
    try {
      // A server may hold back the headers until its first event: this can fail much later.
      response = await authed(input, init);
    } catch (error) {
      if (!init?.signal?.aborted) onEventStreamEnded(error);
      throw error;
    }
    // 405: the server offers no such stream, which is no loss.
    if (!response.ok && response.status !== 405) onEventStreamEnded(undefined);
    if (
      !response.ok ||
      response.body === null ||
      !/^text\/event-stream\b/i.test(response.headers.get('content-type') ?? '')
    ) {
      return response;
    }
    return new Response(watchEnd(response.body, onEventStreamEnded), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
  return new StreamableHTTPClientTransport(url, {
    fetch: http.fetch(watched),
    ...(settings.headers ? { requestInit: { headers: settings.headers } } : {}),
  });
}
