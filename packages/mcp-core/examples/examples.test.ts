// Runs every example against real servers, so the TFrameX examples in TypeScript cannot rot.
import { describe, expect, it } from 'vitest';
import { main as basicClient } from './basic-client.js';
import { main as multiServer } from './multi-server.js';
import { main as resilience } from './resilience.js';
import { main as security } from './security.js';

describe('mcp-core examples', () => {
  it.each([
    ['basic-client', basicClient],
    ['security', security],
    ['resilience', resilience],
    ['multi-server', multiServer],
  ])('%s runs', async (_name, main) => {
    await expect(main()).resolves.toBeUndefined();
  });
});
