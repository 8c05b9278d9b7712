// Evaluates alert rules on a schedule and soon after events (coalesced: at most one evaluation
// per `minGapMs`), drives each through inactive → pending → firing → resolved, and calls the
// user's callbacks isolated: a callback that throws or never settles is reported and the
// others go on.
import { McpConfigError, parseMcpUri } from '@tframex/mcp-api';
import * as z from 'zod';
import type { McpMonitorStatus, McpServerStatus, McpToolUsage } from '../status/monitor-status.js';
import type {
  McpAlertEvent,
  McpAlertHandle,
  McpAlertInfo,
  McpAlertRule,
  McpAlertState,
} from './alert-rule.js';

/** What the manager evaluates conditions on. */
export interface AlertInputs {
  status(): McpMonitorStatus;
  usage(tool: string): McpToolUsage;
}

export interface AlertSettings {
  intervalMs: number;
  minGapMs: number;
  callbackTimeoutMs: number;
  /** Gets every error of a condition or callback. */
  report(error: unknown, alert: string): void;
}

function failure(message: string, cause?: unknown): Error {
  return new Error(message, cause === undefined ? undefined : { cause });
}

interface ActiveAlert {
  readonly rule: McpAlertRule;
  readonly forMs: number;
  readonly cooldownMs: number;
  state: McpAlertState;
  since: number;
  lastFiredAt: number;
  firings: number;
  forTimer: ReturnType<typeof setTimeout> | undefined;
}

const fn = z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', {
  error: 'a function',
});
const ruleSchema = z.object({
  name: z.string({ error: 'a non-empty name' }).min(1, { error: 'a non-empty name' }),
  condition: fn,
  callback: fn,
  onRecover: fn.optional(),
  forMs: z.number().min(0, { error: 'milliseconds (0 or more)' }).finite().optional(),
  cooldownMs: z.number().min(0, { error: 'milliseconds (0 or more)' }).finite().optional(),
  server: z.string().min(1, { error: 'a server alias' }).optional(),
  tool: z.string().min(1, { error: 'a tool URI' }).optional(),
});

function checkRule(rule: unknown): McpAlertRule {
  const parsed = ruleSchema.safeParse(rule);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = ['addAlert', ...issue.path.map(String)].join('.');
    throw new McpConfigError(`Invalid ${field}: expected ${issue.message}`, {
      field,
      expected: issue.message,
    });
  }
  const checked = rule as McpAlertRule;
  if ('server' in checked && 'tool' in checked) {
    throw new McpConfigError('An alert watches a server or a tool, not both', {
      field: 'addAlert.tool',
      expected: 'either server or tool',
    });
  }
  if ('tool' in checked && checked.tool.startsWith('mcp://')) parseMcpUri(checked.tool);
  return checked;
}

export class AlertManager {
  readonly #inputs: AlertInputs;
  readonly #settings: AlertSettings;
  readonly #alerts = new Map<string, ActiveAlert>();
  #interval: ReturnType<typeof setInterval> | undefined;
  #soon: ReturnType<typeof setTimeout> | undefined;
  #lastEvaluationAt = 0;
  #closed = false;

  constructor(inputs: AlertInputs, settings: AlertSettings) {
    this.#inputs = inputs;
    this.#settings = settings;
  }

  /** Whether an event should ask for an evaluation (kept cheap: the hot path reads it). */
  get armed(): boolean {
    return this.#alerts.size > 0 && this.#soon === undefined;
  }

  add(rule: McpAlertRule): McpAlertHandle {
    const checked = checkRule(rule);
    if (this.#alerts.has(checked.name)) {
      throw new McpConfigError(`An alert named "${checked.name}" already exists`, {
        field: 'addAlert.name',
        expected: 'a name no other alert of this monitor has',
        received: checked.name,
      });
    }
    this.#alerts.set(checked.name, {
      rule: checked,
      forMs: checked.forMs ?? 0,
      cooldownMs: checked.cooldownMs ?? 0,
      state: 'inactive',
      since: 0,
      lastFiredAt: 0,
      firings: 0,
      forTimer: undefined,
    });
    if (!this.#closed && this.#interval === undefined) {
      this.#interval = setInterval(() => this.evaluate(), this.#settings.intervalMs);
      this.#interval.unref?.();
    }
    return { name: checked.name, remove: () => this.remove(checked.name) };
  }

  remove(name: string): boolean {
    const alert = this.#alerts.get(name);
    if (!alert) return false;
    clearTimeout(alert.forTimer);
    this.#alerts.delete(name);
    if (this.#alerts.size === 0) this.#stopTimers();
    return true;
  }

  list(): McpAlertInfo[] {
    return [...this.#alerts.values()].map((alert) => ({
      name: alert.rule.name,
      state: alert.state,
      ...(alert.state !== 'inactive' ? { since: alert.since } : {}),
      ...(alert.firings > 0 ? { lastFiredAt: alert.lastFiredAt } : {}),
      firings: alert.firings,
    }));
  }

  /** An event happened: evaluate soon, at most once per `minGapMs`. */
  poke(): void {
    if (this.#closed || this.#soon !== undefined || this.#alerts.size === 0) return;
    const wait = Math.max(0, this.#lastEvaluationAt + this.#settings.minGapMs - Date.now());
    this.#soon = setTimeout(() => this.evaluate(), wait);
    this.#soon.unref?.();
  }

  /** Evaluates every alert now. */
  evaluate(): void {
    clearTimeout(this.#soon);
    this.#soon = undefined;
    if (this.#closed || this.#alerts.size === 0) return;
    this.#lastEvaluationAt = Date.now();
    let status: McpMonitorStatus | undefined;
    const usages = new Map<string, McpToolUsage>();
    const now = Date.now();
    for (const alert of [...this.#alerts.values()]) {
      const rule = alert.rule;
      let value: McpMonitorStatus | McpServerStatus | McpToolUsage | undefined;
      let holds: boolean;
      try {
        if ('tool' in rule) {
          value = usages.get(rule.tool) ?? this.#inputs.usage(rule.tool);
          usages.set(rule.tool, value);
          holds = rule.condition(value) === true;
        } else if ('server' in rule) {
          status ??= this.#inputs.status();
          value = status.servers.find((server) => server.server === rule.server);
          // A server the monitor has not seen yet cannot meet a condition.
          holds = value !== undefined && rule.condition(value) === true;
        } else {
          status ??= this.#inputs.status();
          value = status;
          holds = (rule.condition as (status: McpMonitorStatus) => boolean)(status) === true;
        }
      } catch (error) {
        this.#settings.report(
          failure(`The condition of alert "${rule.name}" threw`, error),
          rule.name,
        );
        continue;
      }
      this.#step(alert, holds, value, now);
    }
  }

  close(): void {
    this.#closed = true;
    this.#stopTimers();
    for (const alert of this.#alerts.values()) clearTimeout(alert.forTimer);
  }

  #step(alert: ActiveAlert, holds: boolean, value: unknown, now: number): void {
    if (!holds) {
      clearTimeout(alert.forTimer);
      alert.forTimer = undefined;
      const wasFiring = alert.state === 'firing';
      alert.state = 'inactive';
      if (wasFiring && alert.rule.onRecover) {
        this.#call(alert, alert.rule.onRecover, {
          state: 'resolved',
          value,
          since: alert.since,
          at: now,
        });
      }
      return;
    }
    if (alert.state === 'firing') return;
    if (alert.state === 'inactive') {
      alert.state = 'pending';
      alert.since = now;
    }
    const dueAt = Math.max(
      alert.since + alert.forMs,
      alert.firings > 0 ? alert.lastFiredAt + alert.cooldownMs : 0,
    );
    if (now < dueAt) {
      // Evaluate again when it falls due rather than waiting for the next tick.
      if (alert.forTimer === undefined) {
        alert.forTimer = setTimeout(() => {
          alert.forTimer = undefined;
          this.evaluate();
        }, dueAt - now);
        alert.forTimer.unref?.();
      }
      return;
    }
    alert.state = 'firing';
    alert.firings++;
    alert.lastFiredAt = now;
    this.#call(alert, alert.rule.callback, { state: 'firing', value, since: alert.since, at: now });
  }

  #call(
    alert: ActiveAlert,
    callback: (event: McpAlertEvent<never>) => void | Promise<void>,
    event: Omit<McpAlertEvent<unknown>, 'name'>,
  ): void {
    const name = alert.rule.name;
    const report = this.#settings.report;
    let settled = false;
    const timer = setTimeout(() => {
      if (settled) return;
      report(
        failure(
          `The ${event.state === 'firing' ? 'callback' : 'onRecover'} of alert "${name}" did not settle within ${this.#settings.callbackTimeoutMs} ms`,
        ),
        name,
      );
    }, this.#settings.callbackTimeoutMs);
    timer.unref?.();
    // Called on a later microtask, so a callback that throws synchronously is caught the same way.
    Promise.resolve()
      .then(() => callback({ name, ...event } as McpAlertEvent<never>))
      .then(
        () => {
          settled = true;
          clearTimeout(timer);
        },
        (error: unknown) => {
          settled = true;
          clearTimeout(timer);
          report(
            failure(
              `The ${event.state === 'firing' ? 'callback' : 'onRecover'} of alert "${name}" threw`,
              error,
            ),
            name,
          );
        },
      );
  }

  #stopTimers(): void {
    clearInterval(this.#interval);
    clearTimeout(this.#soon);
    this.#interval = undefined;
    this.#soon = undefined;
  }
}
