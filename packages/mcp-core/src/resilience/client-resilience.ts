// The rate limiter and circuit breaker of one client: made from options (owned: closed with
// the client) or shared instances (attached: the client only detaches its events on close).
import type { McpEventHub } from '@tframex/mcp-telemetry-api';
import type { ClientSettings } from '../client/client-settings.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { RateLimiter } from './rate-limiter.js';

export interface ClientResilience {
  breaker: CircuitBreaker | undefined;
  limiter: RateLimiter | undefined;
  /** Closes what the client owns and detaches from what it shares. */
  release(): void;
}

export function clientResilience(
  settings: Pick<ClientSettings, 'name' | 'rateLimit' | 'circuitBreaker'>,
  events: Pick<McpEventHub, 'emit'>,
): ClientResilience {
  const releases: (() => void)[] = [];
  let breaker: CircuitBreaker | undefined;
  let limiter: RateLimiter | undefined;
  const breakerOption = settings.circuitBreaker;
  if (CircuitBreaker.isInstance(breakerOption)) {
    breaker = breakerOption;
    releases.push(breaker.attachEvents(events));
  } else if (breakerOption) {
    breaker = new CircuitBreaker({ ...breakerOption, server: settings.name, events });
  }
  const limitOption = settings.rateLimit;
  if (RateLimiter.isInstance(limitOption)) {
    limiter = limitOption;
    releases.push(limiter.attachEvents(events));
  } else if (limitOption) {
    const owned = new RateLimiter({ ...limitOption, server: settings.name, events });
    limiter = owned;
    releases.push(() => owned.close());
  }
  return {
    breaker,
    limiter,
    release: () => {
      for (const release of releases.splice(0)) release();
    },
  };
}
