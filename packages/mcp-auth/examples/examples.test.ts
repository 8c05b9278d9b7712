// Runs every example against real servers, so the TFrameX examples in TypeScript cannot rot.
import { describe, expect, it } from 'vitest';
import { main as apiKey } from './api-key.js';
import { main as oauth2ClientCredentials } from './oauth2-client-credentials.js';

describe('mcp-auth examples', () => {
  it.each([
    ['api-key', apiKey],
    ['oauth2-client-credentials', oauth2ClientCredentials],
  ])(
    '%s runs',
    async (_name, main) => {
      await expect(main()).resolves.toBeUndefined();
    },
    30_000,
  );
});
