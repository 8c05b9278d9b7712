// The shape the house style asks of the client: a facade over one-concept modules, no file
// past ~400 lines (a longer file usually holds two concepts).
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const MAX_LINES = 400;
const folder = new URL('./', import.meta.url);

describe('the client folder', () => {
  it(`keeps every module, the MCPClient facade included, within ${MAX_LINES} lines`, () => {
    const modules = readdirSync(folder).filter(
      (file) => file.endsWith('.ts') && !file.endsWith('.test.ts'),
    );
    expect(modules).toContain('mcp-client.ts');
    const long = modules
      .map((file) => [file, readFileSync(new URL(file, folder), 'utf8').split('\n').length])
      .filter(([, lines]) => (lines as number) > MAX_LINES);
    expect(long).toEqual([]);
  });
});
