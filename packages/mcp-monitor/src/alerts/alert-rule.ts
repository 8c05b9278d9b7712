// Alert rules: a condition over the status, one server's status or one tool's usage, with a
// `for` duration, a cooldown and a recovery callback.
import type { McpMonitorStatus, McpServerStatus, McpToolUsage } from '../status/monitor-status.js';

/** `pending`: the condition holds, waiting out `forMs` (or the cooldown). */
export type McpAlertState = 'inactive' | 'pending' | 'firing';

/** What a callback is told. */
export interface McpAlertEvent<Value> {
  name: string;
  /** `firing` for `callback`, `resolved` for `onRecover`. */
  state: 'firing' | 'resolved';
  /** The status or usage the condition was evaluated on. */
  value: Value;
  /** `Date.now()` when the condition started to hold. */
  since: number;
  /** `Date.now()` of this evaluation. */
  at: number;
}

interface AlertRuleBase<Value> {
  /** Unique among the monitor's alerts. */
  name: string;
  condition: (value: Value) => boolean;
  /** Called when the alert fires. May be async; one that throws or hangs never stops others. */
  callback: (event: McpAlertEvent<Value>) => void | Promise<void>;
  /** Called when a fired alert's condition stops holding. */
  onRecover?: (event: McpAlertEvent<Value>) => void | Promise<void>;
  /** How long the condition must hold before the alert fires, in ms (default 0). */
  forMs?: number;
  /** Least time between two firings, in ms (default 0). */
  cooldownMs?: number;
}

/** A condition over every server together. */
export type McpStatusAlertRule = AlertRuleBase<McpMonitorStatus>;

/** A condition over one server (`status.servers` entry). */
export interface McpServerAlertRule extends AlertRuleBase<McpServerStatus> {
  server: string;
}

/** A condition over one tool's usage (`mcp://server/tool`, `mcp://server/*` or a tool name). */
export interface McpToolAlertRule extends AlertRuleBase<McpToolUsage> {
  tool: string;
}

export type McpAlertRule = McpStatusAlertRule | McpServerAlertRule | McpToolAlertRule;

/** Where an alert stands. */
export interface McpAlertInfo {
  name: string;
  state: McpAlertState;
  /** `Date.now()` when the condition started to hold, while it does. */
  since?: number;
  /** `Date.now()` of the last firing. */
  lastFiredAt?: number;
  /** Times it fired. */
  firings: number;
}

/** Returned by addAlert: removes the alert. */
export interface McpAlertHandle {
  readonly name: string;
  remove(): void;
}
