// The options of CircuitBreaker and their schema: the breaker's own circuit, or one kept in
// a shared McpCircuitStateStore.
import { z } from 'zod';
import type { McpCircuitRecord, McpCircuitStateStore } from '@tframex/mcp-api';
import type { McpCircuitState, McpEventHub } from '@tframex/mcp-telemetry-api';
import { callable, durationMs, wholeNumber } from '../config/option-schemas.js';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit (default 5). */
  failureThreshold?: number;
  /** How long the circuit stays open before a probe may go through (default 30 000). */
  recoveryTimeoutMs?: number;
  /** Probes allowed at once while half-open (default 1). */
  halfOpenMaxProbes?: number;
  /**
   * Which errors count as failures of the server (default `isCircuitFailure`: connection
   * failures and timeouts). Other errors mean the server answered: they count as successes.
   * Cancellations count as neither.
   */
  isFailure?: (error: unknown) => boolean;
  /** Alias of the server, for events and errors. */
  server?: string;
  /** Receives `circuit:state` events. */
  events?: Pick<McpEventHub, 'emit'>;
  /** Called on every state change. */
  onStateChange?: (from: McpCircuitState, to: McpCircuitState) => void;
  /** Clock in milliseconds (default Date.now). */
  now?: () => number;
  /**
   * Where the circuit lives (default: in this breaker, as before). With a store, each call
   * reads the shared record first: open → fails fast; open past `recoveryTimeoutMs` → one
   * caller over all breakers on the store and key takes the probe (`acquireProbe`); failures
   * and successes are recorded there. `state`, `canExecute` and events follow the last record
   * this breaker saw. While the store fails, this breaker decides alone (a local circuit,
   * counted from the last record seen) and tells `onStoreError`; the shared record wins again
   * as soon as the store answers. Its clock (`openedAtMs`) must agree with `now`.
   */
  store?: McpCircuitStateStore;
  /** The circuit's key in `store` (default: `server`). */
  storeKey?: string;
  /** Who holds the half-open probe lease (default: a random id per breaker). */
  holder?: string;
  /**
   * How long the probe lease lasts (default 30 000): keep it above the longest request a
   * probe may take; a holder that dies holds the probe back this long.
   */
  probeLeaseMs?: number;
  /**
   * Told about each store failure (the breaker then decides locally). Default: one
   * console.warn each time the store stops answering.
   */
  onStoreError?: (error: unknown) => void;
}

export interface CircuitExecuteOptions {
  /** The shared record, read ahead with `readShared()` (ignored without a store). */
  sharedRecord?: Promise<McpCircuitRecord>;
}

export const isCircuitStore = (value: unknown): value is McpCircuitStateStore =>
  typeof value === 'object' &&
  value !== null &&
  ['read', 'recordFailure', 'recordSuccess', 'acquireProbe'].every(
    (name) => typeof (value as Record<string, unknown>)[name] === 'function',
  );

export const circuitBreakerOptionsSchema = z.strictObject({
  failureThreshold: wholeNumber(1, 1_000_000).optional(),
  recoveryTimeoutMs: durationMs(0).optional(),
  halfOpenMaxProbes: wholeNumber(1, 1_000).optional(),
  isFailure: callable<(error: unknown) => boolean>('a function (error) => boolean').optional(),
  server: z.string({ error: 'a server alias' }).optional(),
  events: z
    .custom<
      Pick<McpEventHub, 'emit'>
    >((value) => typeof value === 'object' && value !== null && typeof (value as { emit?: unknown }).emit === 'function', { error: 'an McpEventHub (an object with emit)' })
    .optional(),
  onStateChange: callable<(from: McpCircuitState, to: McpCircuitState) => void>(
    'a function (from, to) => void',
  ).optional(),
  now: callable<() => number>('a function returning milliseconds').optional(),
  store: z
    .custom<McpCircuitStateStore>(isCircuitStore, {
      error: 'an McpCircuitStateStore (read, recordFailure, recordSuccess, acquireProbe)',
    })
    .optional(),
  storeKey: z.string({ error: 'a circuit key' }).min(1).optional(),
  holder: z.string({ error: 'a probe holder id' }).min(1).optional(),
  probeLeaseMs: durationMs(1).optional(),
  onStoreError: callable<(error: unknown) => void>('a function (error) => void').optional(),
});
