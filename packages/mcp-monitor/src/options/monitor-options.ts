// MCPMonitor's options, validated once at the edge: a bad option is an McpConfigError naming
// the field and what was expected.
import { McpConfigError } from '@tframex/mcp-api';
import { MCP_DURATION_BUCKETS_SECONDS } from '@tframex/mcp-telemetry-api';
import * as z from 'zod';
import type { McpMeterProvider } from '../otel/meter-types.js';

export interface MCPMonitorOptions {
  /** The recent window that status, rpm and recent usage cover, in ms (default 60 000). */
  windowMs?: number;
  /**
   * Histogram bucket upper bounds, in seconds, ascending (default the OpenTelemetry MCP
   * conventions': 0.01 … 300).
   */
  bucketsSeconds?: number[];
  /** Most operation series (server × method × tool/prompt) kept; more go to an overflow series (default 2 000). */
  maxSeries?: number;
  /** Most servers tracked one by one; more share the `_OTHER` server (default 200). */
  maxServers?: number;
  /** Label resource reads with `mcp.resource.uri` (opt-in: URIs are often unbounded). Default false. */
  includeResourceUri?: boolean;
  /** When alerts are evaluated. */
  alerts?: {
    /** Evaluation on a schedule, every `intervalMs` (default 10 000). */
    intervalMs?: number;
    /** Events trigger an evaluation too, at most one per `minGapMs` (default 250). */
    minGapMs?: number;
    /** A callback that has not settled after this long is reported (default 30 000). */
    callbackTimeoutMs?: number;
  };
  /**
   * Where OpenTelemetry measurements go. `auto` (default): the application's global
   * MeterProvider when `@opentelemetry/api` is installed (register it before creating the
   * monitor); `{ meterProvider }`: that one; `false`: nowhere.
   */
  openTelemetry?: 'auto' | false | { meterProvider: McpMeterProvider };
  /**
   * Gets the errors of alert conditions and callbacks (they never stop other alerts). Default:
   * a process warning.
   */
  onError?: (error: unknown, context: { alert: string }) => void;
}

export interface ParsedMonitorOptions {
  windowMs: number;
  bucketsSeconds: readonly number[];
  maxSeries: number;
  maxServers: number;
  includeResourceUri: boolean;
  alerts: { intervalMs: number; minGapMs: number; callbackTimeoutMs: number };
  onError: (error: unknown, context: { alert: string }) => void;
  openTelemetry: 'auto' | false | { meterProvider: McpMeterProvider };
}

/** Slots of the recent window: the window moves in steps of windowMs / 12. */
export const WINDOW_SLOTS = 12;

const wholeAtLeast = (min: number, max: number, what: string) =>
  z
    .number({ error: `${what} (a whole number from ${min} to ${max})` })
    .int({ error: `${what} (a whole number from ${min} to ${max})` })
    .min(min, { error: `${what} (a whole number from ${min} to ${max})` })
    .max(max, { error: `${what} (a whole number from ${min} to ${max})` });

const schema = z.strictObject(
  {
    windowMs: wholeAtLeast(1_200, 86_400_000, 'milliseconds').optional(),
    bucketsSeconds: z
      .array(z.number().positive().finite(), { error: 'an array of positive numbers' })
      .min(1, { error: 'at least one bound' })
      .max(64, { error: 'at most 64 bounds' })
      .refine(
        (bounds) => bounds.every((bound, index) => index === 0 || bound > bounds[index - 1]!),
        {
          error: 'ascending bounds',
        },
      )
      .optional(),
    maxSeries: wholeAtLeast(1, 1_000_000, 'a number of series').optional(),
    maxServers: wholeAtLeast(1, 100_000, 'a number of servers').optional(),
    includeResourceUri: z.boolean({ error: 'true or false' }).optional(),
    alerts: z
      .strictObject({
        intervalMs: wholeAtLeast(10, 86_400_000, 'milliseconds').optional(),
        minGapMs: wholeAtLeast(0, 86_400_000, 'milliseconds').optional(),
        callbackTimeoutMs: wholeAtLeast(1, 86_400_000, 'milliseconds').optional(),
      })
      .optional(),
    openTelemetry: z
      .union(
        [
          z.literal('auto'),
          z.literal(false),
          z.object({
            meterProvider: z.custom<McpMeterProvider>(
              (value) =>
                typeof value === 'object' &&
                value !== null &&
                typeof (value as McpMeterProvider).getMeter === 'function',
            ),
          }),
        ],
        { error: "'auto', false or { meterProvider } (an OpenTelemetry MeterProvider)" },
      )
      .optional(),
    onError: z
      .custom<(error: unknown, context: { alert: string }) => void>(
        (value) => typeof value === 'function',
        {
          error: 'a function',
        },
      )
      .optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `a known option (not ${issue.keys.join(', ')})`
        : 'an options object',
  },
);

function warn(error: unknown, context: { alert: string }): void {
  const message = error instanceof Error ? error.message : String(error);
  process.emitWarning(message, {
    type: 'MCPMonitorAlertError',
    detail: `alert "${context.alert}"`,
  });
}

export function parseMonitorOptions(options: unknown): ParsedMonitorOptions {
  const parsed = schema.safeParse(options ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') path.push(...issue.keys);
    const field = ['MCPMonitor.options', ...path].join('.');
    throw new McpConfigError(`Invalid ${field}: expected ${issue.message}`, {
      field,
      expected: issue.message,
    });
  }
  const value = parsed.data;
  return {
    windowMs: value.windowMs ?? 60_000,
    bucketsSeconds: value.bucketsSeconds ?? MCP_DURATION_BUCKETS_SECONDS,
    maxSeries: value.maxSeries ?? 2_000,
    maxServers: value.maxServers ?? 200,
    includeResourceUri: value.includeResourceUri ?? false,
    alerts: {
      intervalMs: value.alerts?.intervalMs ?? 10_000,
      minGapMs: value.alerts?.minGapMs ?? 250,
      callbackTimeoutMs: value.alerts?.callbackTimeoutMs ?? 30_000,
    },
    onError: value.onError ?? warn,
    openTelemetry: value.openTelemetry ?? 'auto',
  };
}
