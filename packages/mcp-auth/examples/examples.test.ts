// Runs every example of the package against real servers on 127.0.0.1.
import { describe, expect, it, vi } from 'vitest';
import { main as apiKey } from './api-key.js';
import { main as dpop } from './dpop.js';
import { main as enterpriseSso } from './enterprise-sso.js';
import { main as oauth2ClientCredentials } from './oauth2-client-credentials.js';
import { main as workloadIdentity } from './workload-identity.js';

describe('examples', { timeout: 30_000 }, () => {
  it.each([
    ['api-key', apiKey],
    ['oauth2-client-credentials', oauth2ClientCredentials],
    ['workload-identity', workloadIdentity],
    ['enterprise-sso', enterpriseSso],
    ['dpop', dpop],
  ])('%s runs', async (_name, main) => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      await main();
      expect(log).toHaveBeenCalled();
    } finally {
      log.mockRestore();
    }
  });
});
