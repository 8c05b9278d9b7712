import { describe, expect, it } from 'vitest';
import { agentPoolKey } from './agent-pool-key.js';

const KEY =
  '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n';

describe('agentPoolKey', () => {
  it('is a digest: no key text, passphrase or certificate in it', () => {
    const key = agentPoolKey(true, { key: KEY, cert: 'CERT', passphrase: 'hunter2-pass' }, 10);
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    for (const part of ['MIIEvQ', 'hunter2', 'CERT', 'PRIVATE']) expect(key).not.toContain(part);
  });

  it('tells different material apart and equal material together (bytes or text)', () => {
    const text = agentPoolKey(true, { key: KEY }, undefined);
    expect(agentPoolKey(true, { key: KEY }, undefined)).toBe(text);
    expect(agentPoolKey(true, { key: `${KEY} ` }, undefined)).not.toBe(text);
    expect(agentPoolKey(true, { key: new TextEncoder().encode(KEY) }, undefined)).not.toBe(
      agentPoolKey(true, { key: new TextEncoder().encode(`${KEY}x`) }, undefined),
    );
    expect(agentPoolKey(false, undefined, 5)).not.toBe(agentPoolKey(false, undefined, 6));
    // Plain http: ignores TLS material.
    expect(agentPoolKey(false, { key: KEY }, undefined)).toBe(
      agentPoolKey(false, { key: 'other' }, undefined),
    );
  });
});
