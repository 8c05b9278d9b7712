// @tframex/mcp-monitor: MCPMonitor watches MCP clients through their telemetry events
// (McpEventSource) and reports status, latency, usage; exports Prometheus / OpenMetrics / JSON.
export { MCPMonitor } from './mcp-monitor.js';
export type {
  ExportMetricsOptions,
  GetStatusOptions,
  McpOpenTelemetryState,
} from './mcp-monitor.js';
export type {
  McpMeterProvider,
  McpOtelAttributes,
  McpOtelCounter,
  McpOtelHistogram,
  McpOtelMeter,
} from './otel/meter-types.js';
export type { MCPMonitorOptions } from './options/monitor-options.js';
export type { MCPMonitorTarget } from './source/monitor-target.js';
export type {
  McpMonitorStatus,
  McpRecentActivity,
  McpServerLastError,
  McpServerStatus,
  McpServerTotals,
  McpToolUsage,
} from './status/monitor-status.js';
export type { McpMetricsJson, McpSeriesJson } from './export/json-metrics.js';
export type { McpMetricsFormat, MetricsHandlerOptions } from './http/metrics-handler.js';
export type { DashboardHandlerOptions } from './dashboard/dashboard-handler.js';
export type { McpHttpHandler, McpHttpRequest, McpHttpResponse } from './http/http-types.js';
export type {
  McpAlertEvent,
  McpAlertHandle,
  McpAlertInfo,
  McpAlertRule,
  McpAlertState,
  McpServerAlertRule,
  McpStatusAlertRule,
  McpToolAlertRule,
} from './alerts/alert-rule.js';
