import { describe, expect, it } from 'vitest';
import { redactMessage } from './redact-message.js';

describe('redactMessage', () => {
  it('cuts credentials out of URLs, query strings and authorization values', () => {
    expect(redactMessage('fetch https://alice:s3cret@db.example/mcp failed')).toBe(
      'fetch https://[redacted]@db.example/mcp failed',
    );
    expect(redactMessage('GET /mcp?api_key=abc123&x=1&access_token=zzz (401)')).toBe(
      'GET /mcp?api_key=[redacted]&x=1&access_token=[redacted] (401)',
    );
    expect(redactMessage('sent Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc')).toBe(
      'sent Authorization: Bearer [redacted]',
    );
    expect(redactMessage('out of stock')).toBe('out of stock');
  });
});
