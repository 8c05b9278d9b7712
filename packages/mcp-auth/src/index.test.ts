import { describe, expect, it } from 'vitest';
import { VERSION } from './index.js';

describe('@tframex/mcp-auth', () => {
  it('exports its version', () => {
    expect(VERSION).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
