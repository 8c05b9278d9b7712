// The request path, top to bottom: middleware → a place among requests in flight → retries
// → rate limit → circuit breaker → the least busy pooled session, with telemetry events
// around each attempt.
import {
  McpRateLimitedError,
  McpSessionExpiredError,
  type McpRequest,
  type McpRequestOptions,
} from '@tframex/mcp-api';
import type { SdkRequestOptions, SdkRequestReport } from '../adapter/sdk-adapter.js';
import type { MiddlewarePipeline } from '../middleware/middleware-pipeline.js';
import type { CircuitBreaker } from '../resilience/circuit-breaker.js';
import type { RateLimiter } from '../resilience/rate-limiter.js';
import type { RetryPolicy } from '../resilience/retry-policy.js';
import { sleep } from '../resilience/sleep.js';
import type { AdmissionQueue } from './admission-queue.js';
import type { ClientRequest } from './client-request.js';
import type { ClientSettings } from './client-settings.js';
import type { ClientTelemetry } from './client-telemetry.js';
import type { ConnectionPool } from './connection-pool.js';
import type { ServerRequestRouter } from './server-request-router.js';

/** How long one attempt waited before it ran: for a place in flight (first attempt only) and the rate limiter. */
interface Waited {
  ms: number;
  /** What the adapter reports of the attempt (cache hints), when the middleware wants it. */
  report?: SdkRequestReport;
}

export interface RequestExecutorParts {
  settings: Readonly<ClientSettings>;
  telemetry: ClientTelemetry;
  pipeline: MiddlewarePipeline;
  queue: AdmissionQueue;
  retry: RetryPolicy;
  limiter: RateLimiter | undefined;
  breaker: CircuitBreaker | undefined;
  pool: ConnectionPool;
  /** Whether the client was closed (no more attempts). */
  isClosed: () => boolean;
  closedError: () => Error;
  /**
   * Whether a tool may be replayed, learning its annotations first when they are not known
   * yet (a cost only failures pay).
   */
  learnIdempotent: (tool: string, signal: AbortSignal | undefined) => Promise<boolean>;
  /** Whether tool annotations are known (a listing is cached). */
  toolsKnown: () => boolean;
  /** Answers server requests; requests that bring handlers run within them. */
  router: ServerRequestRouter;
}

export class RequestExecutor {
  readonly #parts: RequestExecutorParts;

  constructor(parts: RequestExecutorParts) {
    this.#parts = parts;
  }

  /**
   * Runs a request through the whole path and resolves with its result: a place among
   * requests in flight, then attempts until one succeeds or the retry policy says stop. Each
   * attempt passes through the middleware (`McpRequest.attempt` counts them), so a cache
   * can answer a retry and a logger sees every try.
   */
  async run<T>(request: ClientRequest<T>): Promise<T> {
    const { queue, retry, telemetry, isClosed, closedError } = this.#parts;
    if (isClosed()) throw closedError();
    const signal = request.options?.signal;
    const admitted = queue.admit(signal);
    const waited: Waited = { ms: 0 };
    if (admitted) {
      const since = performance.now();
      await admitted;
      waited.ms = performance.now() - since;
    }
    const callId = telemetry.nextCallId();
    // Scratch space shared by the middleware over every attempt of this call.
    const context = new Map<string, unknown>();
    let idempotent = request.idempotent;
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          return await this.#throughMiddleware(request, attempt, callId, context, waited);
        } catch (error) {
          if (signal?.aborted || isClosed()) throw error;
          // Whether a failed tool call may run again depends on its annotations.
          if (
            !idempotent &&
            request.method === 'tools/call' &&
            !this.#parts.toolsKnown() &&
            request.target !== undefined &&
            (request.options as { idempotent?: boolean } | undefined)?.idempotent === undefined &&
            retry.shouldRetry(error, attempt, { idempotent: true })
          ) {
            idempotent = await this.#parts.learnIdempotent(request.target, signal);
          }
          if (!retry.shouldRetry(error, attempt, { idempotent })) throw error;
          const delayMs = retry.delayFor(attempt, error);
          telemetry.retry(request, callId, { attempt: attempt + 1, delayMs, error });
          await sleep(delayMs, signal);
          waited.ms = 0;
        }
      }
    } finally {
      queue.release();
    }
  }

  /** One attempt, through the middleware when there is any. */
  async #throughMiddleware<T>(
    request: ClientRequest<T>,
    attempt: number,
    callId: number,
    context: Map<string, unknown>,
    waited: Waited,
  ): Promise<T> {
    const { pipeline, settings, telemetry } = this.#parts;
    // The common case pays for nothing it does not use.
    if (pipeline.size === 0) return this.#guarded(request, attempt, callId, waited);
    const mcpRequest: McpRequest = {
      method: request.method,
      params: request.params,
      server: settings.name,
      target: request.target,
      attempt,
      context,
    };
    let reachedServer = false;
    const response = await pipeline.respond(mcpRequest, async (current) => {
      reachedServer = true;
      const report: SdkRequestReport = (waited.report = {});
      const result = await this.#guarded(
        {
          ...request,
          method: current.method,
          target: current.target,
          params: current.params ?? {},
        },
        attempt,
        callId,
        waited,
      );
      const cache = report.cacheHints;
      return cache ? { result, cache } : { result };
    });
    // A middleware answered (a cache hit): it is a request all the same.
    if (!reachedServer) telemetry.answered(request, callId, attempt, response);
    return response.result as T;
  }

  /** One attempt through the rate limiter and the circuit breaker, when configured. */
  async #guarded<T>(
    request: ClientRequest<T>,
    attempt: number,
    callId: number,
    waited: Waited,
  ): Promise<T> {
    const { limiter, breaker } = this.#parts;
    if (!limiter && !breaker) return this.#attempt(request, attempt, callId, waited);
    // A shared breaker's record is read now, beside the limiter's take: both stores commonly
    // sit on one Redis, whose client sends the commands of one tick together (one round trip
    // instead of two). The breaker reads again before refusing on it.
    const sharedRecord = limiter ? breaker?.readShared() : undefined;
    sharedRecord?.catch(() => undefined);
    if (limiter) {
      const since = performance.now();
      await limiter.acquire({ signal: request.options?.signal, method: request.method });
      waited.ms += performance.now() - since;
    }
    try {
      return breaker
        ? await breaker.execute(() => this.#attempt(request, attempt, callId, waited), {
            sharedRecord,
          })
        : await this.#attempt(request, attempt, callId, waited);
    } catch (error) {
      if (
        limiter &&
        McpRateLimitedError.isInstance(error) &&
        error.source === 'server' &&
        error.retryAfterMs
      ) {
        limiter.penalize(error.retryAfterMs, { method: request.method });
      }
      throw error;
    }
  }

  /** One attempt on the least busy pooled session. */
  async #attempt<T>(
    request: ClientRequest<T>,
    attempt: number,
    callId: number,
    waited: Waited,
  ): Promise<T> {
    const { pool, telemetry, settings, isClosed, router } = this.#parts;
    const slot = pool.pick();
    const options: McpRequestOptions | undefined = request.options;
    const trace = telemetry.beginAttempt(
      request,
      callId,
      attempt,
      pool.endpoint(slot.index, slot.current ?? slot.lastConnection),
      waited.ms,
    );
    slot.inFlight++;
    let connection;
    // Bytes are measured only for someone listening to request:end.
    const countBytes = trace.start !== undefined && telemetry.hub.hasListeners('request:end');
    const report = countBytes ? (waited.report ?? {}) : waited.report;
    if (report && countBytes) report.countBytes = true;
    const sdkOptions: SdkRequestOptions = {
      timeoutMs: options?.timeoutMs ?? settings.timeoutMs,
      requestProgress: settings.requestProgress,
      signal: options?.signal,
      onProgress: options?.onProgress,
      meta: options?.meta,
      report,
    };
    try {
      connection = slot.current ?? (await slot.get(options?.signal));
      const live = connection;
      const result = await router.within(request, options?.serverRequestHandlers, () =>
        request.operation(live, sdkOptions, request.params),
      );
      telemetry.endAttempt(trace, { result, report });
      return result;
    } catch (error) {
      telemetry.endAttempt(trace, { error, report });
      // The server forgot the session: start a new one so the retry finds it ready.
      if (McpSessionExpiredError.isInstance(error) && connection && !isClosed()) {
        await slot.reconnect(connection).catch(() => undefined);
      }
      throw error;
    } finally {
      slot.inFlight--;
      slot.lastActivity = performance.now();
    }
  }
}
