// An McpSession over interchangeable replicas of one service: each request goes to one
// replica chosen by MCPLoadBalancer (round robin, random, least connections), skipping
// unhealthy ones and failing over on connection errors. Modern-era servers are stateless,
// so any replica can take any request.
import {
  McpConfigError,
  type CallToolResult,
  type Completion,
  type CompletionArgument,
  type CompletionReference,
  type GetPromptResult,
  type Implementation,
  type LoggingLevel,
  type McpNotificationHandler,
  type McpProtocolEra,
  type McpRequestOptions,
  type McpSession,
  type McpSubscription,
  type McpSubscriptionFilter,
  type McpSubscriptionListener,
  type Prompt,
  type ReadResourceResult,
  type Resource,
  type ResourceTemplate,
  type ServerCapabilities,
  type Tool,
} from '@tframex/mcp-api';
import type {
  McpClientEvents,
  McpEventListener,
  McpEventSource,
  McpTelemetrySnapshot,
} from '@tframex/mcp-telemetry-api';
import { isIdempotentTool } from '../tools/is-idempotent-tool.js';
import { BalancedSessionEvents } from './balanced-session-events.js';
import {
  MCPLoadBalancer,
  type LoadBalancerTargetStatus,
  type MCPLoadBalancerOptions,
} from '../resilience/load-balancer.js';

export interface BalancedSessionOptions
  extends Omit<MCPLoadBalancerOptions<McpSession>, 'targets' | 'healthCheck'> {
  /** Alias of the balanced service (`mcp://<name>/...`). */
  name: string;
  /** The replicas, by id. */
  replicas: Record<string, McpSession>;
  /** Ping replicas to find unhealthy ones (default true). */
  pingHealthCheck?: boolean;
  /** Run health checks this often (default: only when `checkHealth()` is called). */
  healthCheckIntervalMs?: number;
}

export class BalancedSession implements McpSession, McpEventSource<McpClientEvents> {
  readonly name: string;
  readonly balancer: MCPLoadBalancer<McpSession>;
  readonly #events: BalancedSessionEvents;
  readonly #replicas: Record<string, McpSession>;
  readonly #first: McpSession;
  #tools: Tool[] | undefined;

  constructor(options: BalancedSessionOptions) {
    const { name, replicas, pingHealthCheck = true, healthCheckIntervalMs, ...balancer } = options;
    const entries = Object.entries(replicas ?? {});
    if (entries.length === 0) {
      throw new McpConfigError(`Balanced service "${name}" needs at least one replica`, {
        field: 'replicas',
        expected: 'one or more sessions',
        received: replicas,
      });
    }
    this.name = name;
    this.#replicas = replicas;
    this.#events = new BalancedSessionEvents(
      name,
      entries.map(([, session]) => session),
    );
    this.#first = entries[0]![1];
    this.balancer = new MCPLoadBalancer<McpSession>({
      ...balancer,
      targets: entries.map(([id, target]) => ({ id, target })),
      ...(pingHealthCheck
        ? {
            healthCheck: (session: McpSession, signal: AbortSignal) =>
              session.ping({ signal }).then(() => true),
          }
        : {}),
    });
    if (healthCheckIntervalMs) this.balancer.startHealthChecks(healthCheckIntervalMs);
  }

  /**
   * The events of every replica that emits them (an MCPClient, an MCPTestClient), under this
   * service's name, with the replica's index (in `replicas` order) as `connection`.
   */
  on<K extends keyof McpClientEvents>(
    event: K,
    listener: McpEventListener<McpClientEvents[K]>,
  ): () => void {
    return this.#events.on(event, listener);
  }
  off<K extends keyof McpClientEvents>(
    event: K,
    listener: McpEventListener<McpClientEvents[K]>,
  ): void {
    this.#events.off(event, listener);
  }
  /** The service as one server: its replicas as connections, requests over all of them. */
  snapshot(): McpTelemetrySnapshot {
    return this.#events.snapshot();
  }

  /** Health and load of each replica. */
  status(): LoadBalancerTargetStatus[] {
    return this.balancer.status();
  }

  checkHealth(): Promise<void> {
    return this.balancer.checkHealth();
  }

  // Identity comes from the first replica: replicas of one service describe themselves alike.
  get serverInfo(): Implementation | undefined {
    return this.#first.serverInfo;
  }
  get capabilities(): ServerCapabilities | undefined {
    return this.#first.capabilities;
  }
  get protocolVersion(): string | undefined {
    return this.#first.protocolVersion;
  }
  get protocolEra(): McpProtocolEra | undefined {
    return this.#first.protocolEra;
  }
  get instructions(): string | undefined {
    return this.#first.instructions;
  }

  #run<T>(
    fn: (session: McpSession) => Promise<T>,
    options: McpRequestOptions | undefined,
    idempotent: boolean,
  ): Promise<T> {
    return this.balancer.execute((session) => fn(session), {
      idempotent,
      ...(options?.signal ? { signal: options.signal } : {}),
    });
  }

  async listTools(options?: McpRequestOptions): Promise<Tool[]> {
    this.#tools = await this.#run((s) => s.listTools(options), options, true);
    return this.#tools;
  }

  callTool(
    name: string,
    args?: Record<string, unknown>,
    options?: McpRequestOptions & { idempotent?: boolean },
  ): Promise<CallToolResult> {
    const tool = this.#tools?.find((candidate) => candidate.name === name);
    const idempotent = options?.idempotent ?? (tool !== undefined && isIdempotentTool(tool));
    return this.#run((s) => s.callTool(name, args, options), options, idempotent);
  }

  listResources(options?: McpRequestOptions): Promise<Resource[]> {
    return this.#run((s) => s.listResources(options), options, true);
  }
  listResourceTemplates(options?: McpRequestOptions): Promise<ResourceTemplate[]> {
    return this.#run((s) => s.listResourceTemplates(options), options, true);
  }
  readResource(uri: string, options?: McpRequestOptions): Promise<ReadResourceResult> {
    return this.#run((s) => s.readResource(uri, options), options, true);
  }
  listPrompts(options?: McpRequestOptions): Promise<Prompt[]> {
    return this.#run((s) => s.listPrompts(options), options, true);
  }
  getPrompt(
    name: string,
    args?: Record<string, string>,
    options?: McpRequestOptions,
  ): Promise<GetPromptResult> {
    return this.#run((s) => s.getPrompt(name, args, options), options, true);
  }
  complete(
    ref: CompletionReference,
    argument: CompletionArgument,
    options?: McpRequestOptions & { context?: { arguments?: Record<string, string> } },
  ): Promise<Completion> {
    return this.#run((s) => s.complete(ref, argument, options), options, true);
  }
  async setLoggingLevel(level: LoggingLevel, options?: McpRequestOptions): Promise<void> {
    await Promise.all(
      Object.values(this.#replicas).map((session) => session.setLoggingLevel(level, options)),
    );
  }
  ping(options?: McpRequestOptions): Promise<void> {
    return this.#run((s) => s.ping(options), options, true);
  }

  /** Subscriptions are held on every replica; each event reaches the listener once per replica that reports it. */
  async subscribe(
    filter: McpSubscriptionFilter,
    listener: McpSubscriptionListener,
    options?: McpRequestOptions,
  ): Promise<McpSubscription> {
    const subscriptions = await Promise.all(
      Object.values(this.#replicas).map((session) => session.subscribe(filter, listener, options)),
    );
    return {
      filter: subscriptions[0]!.filter,
      close: async () => {
        await Promise.all(subscriptions.map((subscription) => subscription.close()));
      },
      closed: Promise.all(subscriptions.map((subscription) => subscription.closed)).then(
        (ends) => ends.find((end) => end !== 'local') ?? 'local',
      ),
    };
  }

  onNotification(method: string, handler: McpNotificationHandler): () => void {
    const offs = Object.values(this.#replicas).map((session) =>
      session.onNotification(method, handler),
    );
    return () => offs.forEach((off) => off());
  }

  /** Stops health checks and closes every replica. */
  async close(): Promise<void> {
    this.balancer.close();
    await Promise.all(Object.values(this.#replicas).map((session) => session.close()));
  }
}
