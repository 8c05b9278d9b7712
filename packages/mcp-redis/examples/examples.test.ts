import { describe, expect, it } from 'vitest';
import { main as sharedCircuitBreaker } from './shared-circuit-breaker.js';
import { main as sharedOAuthTokens } from './shared-oauth-tokens.js';
import { main as sharedRateLimit } from './shared-rate-limit.js';
import { main as streamFanOut } from './stream-fan-out.js';

describe('examples', () => {
  it('stream-fan-out: each order once per group', async () => {
    const seen = await streamFanOut();
    expect(seen['audit-1']).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect([...seen['billing-1']!, ...seen['billing-2']!].sort((a, b) => a - b)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
    ]);
  });

  it('shared-rate-limit: one bucket across stores, never over-granted', async () => {
    expect(await sharedRateLimit()).toEqual({ granted: 5, refused: 15 });
  });

  it('shared-oauth-tokens: three stores, one token request, encrypted at rest', async () => {
    expect(await sharedOAuthTokens()).toEqual({
      tokenRequests: 1,
      sameToken: true,
      encryptedAtRest: true,
    });
  });

  it('shared-circuit-breaker: opened for all, one probe, closed for all', async () => {
    expect(await sharedCircuitBreaker()).toEqual({
      seenByOthers: 'open',
      probes: 1,
      after: 'closed',
    });
  });
});
