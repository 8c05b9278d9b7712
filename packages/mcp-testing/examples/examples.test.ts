// Runs every example against real servers, so the TFrameX examples in TypeScript cannot rot.
import { describe, expect, it } from 'vitest';
import { main as mockServer } from './mock-server.js';

describe('mcp-testing examples', () => {
  it.each([['mock-server', mockServer]])('%s runs', async (_name, main) => {
    await expect(main()).resolves.toBeUndefined();
  });
});
