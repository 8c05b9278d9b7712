import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REDACTED, redact, redactText } from './redact.js';

describe('redact', () => {
  it('hides values under secret-looking keys, at any depth', () => {
    expect(
      redact({
        sql: 'select 1',
        apiKey: 'k-123',
        nested: { Authorization: 'Bearer abc.def', list: [{ client_secret: 's' }] },
        token_count: 3,
      }),
    ).toEqual({
      sql: 'select 1',
      apiKey: REDACTED,
      nested: { Authorization: REDACTED, list: [{ client_secret: REDACTED }] },
      token_count: REDACTED,
    });
  });

  it('hides credentials inside text', () => {
    expect(redactText('sent Bearer eyJhbGciOi.payload.sig to server')).toBe(
      `sent Bearer ${REDACTED} to server`,
    );
    expect(redactText('postgres://admin:hunter2@db:5432/app')).toBe(
      `postgres://${REDACTED}@db:5432/app`,
    );
    expect(redactText('https://x.test/cb?code=abc123&state=s')).toBe(
      `https://x.test/cb?code=${REDACTED}&state=s`,
    );
  });

  it('takes extra keys and survives cycles and depth', () => {
    const cyclic: Record<string, unknown> = { ssn: '123' };
    cyclic.self = cyclic;
    expect(redact(cyclic, ['ssn'])).toEqual({ ssn: REDACTED, self: '[…]' });
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100; i++) deep = { deep };
    expect(() => redact(deep)).not.toThrow();
  });

  it('never lets a password through, whatever surrounds it (property)', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue()),
        fc.string({ minLength: 8 }),
        (other, secret) => {
          const out = JSON.stringify(redact({ ...other, password: secret }));
          expect(JSON.parse(out).password).toBe(REDACTED);
        },
      ),
    );
  });
});
