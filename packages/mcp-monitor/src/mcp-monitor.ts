// MCPMonitor: watches MCP clients through their telemetry events and answers what operators
// ask: is each server up, how fast, how busy, how often failing, per tool, and exports it all
// for Prometheus / OpenMetrics scrapers or as JSON. A thin facade over the metric store, the
// status builder and the exporters.
import type { McpClientEvents, McpEventListener } from '@tframex/mcp-telemetry-api';
import { jsonMetrics } from './export/json-metrics.js';
import { renderExposition } from './export/render-exposition.js';
import type { McpHttpHandler } from './http/http-types.js';
import {
  createMetricsHandler,
  type McpMetricsFormat,
  type MetricsHandlerOptions,
} from './http/metrics-handler.js';
import { MetricStore } from './metrics/metric-store.js';
import {
  parseMonitorOptions,
  WINDOW_SLOTS,
  type MCPMonitorOptions,
} from './options/monitor-options.js';
import {
  resolveTarget,
  type MCPMonitorTarget,
  type ResolvedTarget,
} from './source/monitor-target.js';
import type { McpMonitorStatus, McpToolUsage } from './status/monitor-status.js';
import { monitorStatus, toolUsage } from './status/status-builder.js';
import { McpConfigError } from '@tframex/mcp-api';
import { AlertManager } from './alerts/alert-manager.js';
import {
  createDashboardHandler,
  type DashboardHandlerOptions,
} from './dashboard/dashboard-handler.js';
import { globalMeterProvider } from './otel/global-meter-provider.js';
import { OpenTelemetryBridge } from './otel/open-telemetry-bridge.js';
import type {
  McpAlertHandle,
  McpAlertInfo,
  McpServerAlertRule,
  McpStatusAlertRule,
  McpToolAlertRule,
} from './alerts/alert-rule.js';

export interface GetStatusOptions {
  /**
   * Ping every session first (through the client, so the pings are measured like any request),
   * so an idle server's latency and reachability are current. Default false.
   */
  probe?: boolean;
  /** Time budget of each ping, in ms (default 5 000). */
  probeTimeoutMs?: number;
}

export interface ExportMetricsOptions {
  /** Default `prometheus`. */
  format?: McpMetricsFormat;
}

const FORMATS: readonly McpMetricsFormat[] = ['prometheus', 'openmetrics', 'json'];

/** `bridged`: measurements also reach an OpenTelemetry MeterProvider. */
export type McpOpenTelemetryState = 'bridged' | 'unavailable' | 'off';

export class MCPMonitor implements AsyncDisposable {
  /**
   * Settles once the OpenTelemetry bridge is set up: `bridged`, `unavailable` (no
   * @opentelemetry/api installed) or `off` (`openTelemetry: false`).
   */
  readonly openTelemetry: Promise<McpOpenTelemetryState>;
  readonly #targets: ResolvedTarget[] = [];
  readonly #store: MetricStore;
  readonly #alerts: AlertManager;
  readonly #unsubscribe: Array<() => void> = [];
  #closed = false;

  constructor(
    target: MCPMonitorTarget | readonly MCPMonitorTarget[],
    options: MCPMonitorOptions = {},
  ) {
    const settings = parseMonitorOptions(options);
    const resolved = resolveTarget(target);
    this.#store = new MetricStore({
      bucketsSeconds: settings.bucketsSeconds,
      window: { slotMs: settings.windowMs / WINDOW_SLOTS, slots: WINDOW_SLOTS },
      maxSeries: settings.maxSeries,
      maxServers: settings.maxServers,
      includeResourceUri: settings.includeResourceUri,
    });
    const store = this.#store;
    const alerts = new AlertManager(
      {
        status: () => {
          this.#refresh();
          return monitorStatus(store);
        },
        usage: (tool) => toolUsage(store, tool),
      },
      { ...settings.alerts, report: (error, alert) => settings.onError(error, { alert }) },
    );
    this.#alerts = alerts;
    this.#attach(resolved);
    this.#refresh();
    const wanted = settings.openTelemetry;
    this.openTelemetry =
      wanted === false
        ? Promise.resolve('off')
        : (wanted === 'auto' ? globalMeterProvider() : Promise.resolve(wanted.meterProvider)).then(
            (provider) => {
              if (provider === undefined) return 'unavailable';
              if (!this.#closed)
                store.sink = new OpenTelemetryBridge(provider, settings.bucketsSeconds);
              return 'bridged';
            },
            () => 'unavailable',
          );
  }

  /** Where every server stands now, with latency, rate and errors over the recent window. */
  async getStatus(options: GetStatusOptions = {}): Promise<McpMonitorStatus> {
    if (options.probe === true) await this.#probe(options.probeTimeoutMs ?? 5_000);
    this.#refresh();
    return monitorStatus(this.#store);
  }

  /**
   * Usage of one tool since the monitor attached: `mcp://server/tool`, `mcp://server/*` for all
   * tools of a server, or a bare tool name for that tool on every server.
   */
  async getToolUsage(uri: string): Promise<McpToolUsage> {
    if (typeof uri !== 'string' || uri.length === 0) {
      throw new McpConfigError('getToolUsage needs a tool URI', {
        field: 'uri',
        expected: 'mcp://<server>/<tool>, mcp://<server>/* or a tool name',
        received: uri,
      });
    }
    return toolUsage(this.#store, uri);
  }

  /** The metrics as Prometheus text (default), OpenMetrics or JSON. */
  async exportMetrics(options: ExportMetricsOptions = {}): Promise<string> {
    const format = options.format ?? 'prometheus';
    if (!FORMATS.includes(format)) {
      throw new McpConfigError(`Unknown metrics format ${JSON.stringify(format)}`, {
        field: 'format',
        expected: "'prometheus', 'openmetrics' or 'json'",
        received: format,
      });
    }
    this.#refresh();
    return format === 'json'
      ? JSON.stringify(jsonMetrics(this.#store))
      : renderExposition(this.#store, format);
  }

  /** A `(req, res)` handler serving the metrics, for `http.createServer` or a framework route. */
  metricsHandler(options: MetricsHandlerOptions = {}): McpHttpHandler {
    return createMetricsHandler((format) => this.exportMetrics({ format }), options);
  }

  /**
   * Watches one more client, server registry or event source (one added at run time), as the
   * constructor's target is watched. Returns a function that stops watching it; what was
   * measured stays.
   */
  watch(target: MCPMonitorTarget | readonly MCPMonitorTarget[]): () => void {
    if (this.#closed) {
      throw new McpConfigError('This MCPMonitor is closed', {
        field: 'target',
        expected: 'a monitor that is not closed',
      });
    }
    const detach = this.#attach(resolveTarget(target));
    this.#refresh();
    return detach;
  }

  /**
   * A `(req, res)` handler serving a live dashboard: one self-contained page (status per
   * server, latency percentiles, request rate and error rate over time, top tools) that
   * updates itself every `refreshMs` from the same handler (`?data`).
   */
  dashboardHandler(options: DashboardHandlerOptions = {}): McpHttpHandler {
    const refreshMs = options.refreshMs ?? 1_000;
    if (!Number.isFinite(refreshMs) || refreshMs < 100) {
      throw new McpConfigError('dashboardHandler refreshMs must be at least 100 ms', {
        field: 'dashboardHandler.refreshMs',
        expected: 'milliseconds, 100 or more',
        received: options.refreshMs,
      });
    }
    return createDashboardHandler(() => this.exportMetrics({ format: 'json' }), {
      title: options.title ?? 'MCP monitor',
      refreshMs,
    });
  }

  /**
   * Adds an alert: a condition over the status of every server (the default), one server
   * (`server`) or one tool's usage (`tool`), evaluated on a schedule and soon after events.
   * It fires once the condition has held for `forMs`, at most once per `cooldownMs`, and
   * `onRecover` is called when a fired alert's condition stops holding.
   */
  addAlert(rule: McpToolAlertRule): McpAlertHandle;
  addAlert(rule: McpServerAlertRule): McpAlertHandle;
  addAlert(rule: McpStatusAlertRule): McpAlertHandle;
  addAlert(rule: McpToolAlertRule | McpServerAlertRule | McpStatusAlertRule): McpAlertHandle {
    return this.#alerts.add(rule);
  }

  /** Removes the alert named `name`; false when there is none. */
  removeAlert(name: string): boolean {
    return this.#alerts.remove(name);
  }

  /** Where each alert stands. */
  getAlerts(): McpAlertInfo[] {
    return this.#alerts.list();
  }

  /** Evaluates every alert now (they are also evaluated on a schedule and after events). */
  async evaluateAlerts(): Promise<void> {
    this.#alerts.evaluate();
  }

  /** Stops listening and evaluating alerts. Idempotent; the measurements stay readable. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#alerts.close();
    this.#store.sink = undefined;
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #attach(target: ResolvedTarget): () => void {
    const store = this.#store;
    const alerts = this.#alerts;
    const unsubscribe: Array<() => void> = [];
    const listen = <K extends keyof McpClientEvents>(
      source: ResolvedTarget['sources'][number],
      event: K,
      listener: McpEventListener<McpClientEvents[K]>,
    ) => unsubscribe.push(source.on(event, listener));
    for (const name of target.serverNames()) store.server(name);
    for (const source of target.sources) {
      listen(source, 'request:end', (event) => {
        store.recordEnd(event);
        if (alerts.armed) alerts.poke();
      });
      listen(source, 'connection:state', (event) => {
        store.recordConnection(event);
        alerts.poke();
      });
      listen(source, 'retry', (event) => store.recordRetry(event));
      listen(source, 'circuit:state', (event) => {
        store.recordCircuit(event);
        alerts.poke();
      });
      listen(source, 'rate-limited', (event) => store.recordRateLimited(event));
    }
    this.#targets.push(target);
    const detach = () => {
      for (const stop of unsubscribe.splice(0)) stop();
      const index = this.#targets.indexOf(target);
      if (index >= 0) this.#targets.splice(index, 1);
    };
    this.#unsubscribe.push(detach);
    return detach;
  }

  /** Takes the sources' snapshots (in-flight, queued, circuit, state) as the truth. */
  #refresh(): void {
    for (const target of this.#targets) {
      for (const source of target.sources) {
        const snapshot = source.snapshot?.();
        if (snapshot) this.#store.applySnapshot(snapshot);
      }
    }
  }

  async #probe(timeoutMs: number): Promise<void> {
    await Promise.allSettled(
      this.#targets
        .flatMap((target) => target.sessions())
        .map(([, session]) =>
          session.state === 'closed' ? undefined : session.ping({ timeoutMs }),
        ),
    );
  }
}
