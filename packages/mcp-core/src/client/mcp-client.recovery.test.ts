// Recovery against real processes: a killed stdio server is restarted, a server that only
// speaks legacy SSE is detected, and close() leaves no process behind.
import { describe, expect, it } from 'vitest';
import { MCPClient } from './mcp-client.js';
import { EVERYTHING_BIN, startEverythingHttp } from '../test-support/everything.js';
import { testOptions } from '../test-support/test-options.js';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function waitFor(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('MCPClient recovery', () => {
  it('restarts a stdio server that crashed, and the next call succeeds', async () => {
    const states: string[] = [];
    const client = new MCPClient(
      testOptions({
        command: process.execPath,
        args: [EVERYTHING_BIN, 'stdio'],
      }),
    );
    client.on('connection:state', (event) => states.push(event.state));
    try {
      await client.connect();
      const [firstPid] = client.pids;
      expect(firstPid).toBeGreaterThan(0);
      process.kill(firstPid!, 'SIGKILL');
      await waitFor(() => !client.isConnected);
      const result = await client.callTool('echo', { message: 'again' });
      expect(JSON.stringify(result.content)).toContain('again');
      const [secondPid] = client.pids;
      expect(secondPid).not.toBe(firstPid);
      expect(states).toEqual([
        'connecting',
        'connected',
        'disconnected',
        'reconnecting',
        'connected',
      ]);
    } finally {
      await client.close();
    }
  }, 60_000);

  it('stops every stdio server it started when closed', async () => {
    const client = new MCPClient(
      testOptions({
        connectionPoolSize: 3,
        command: process.execPath,
        args: [EVERYTHING_BIN, 'stdio'],
      }),
    );
    await client.connect();
    const pids = client.pids;
    expect(pids).toHaveLength(3);
    expect(new Set(pids).size).toBe(3);
    await client.close();
    await waitFor(() => pids.every((pid) => !alive(pid)));
    await expect(client.callTool('echo', { message: 'x' })).rejects.toThrow(/closed/);
  }, 60_000);

  it('falls back to the legacy SSE transport for a server that only speaks it', async () => {
    const server = await startEverythingHttp('sse');
    const client = new MCPClient(
      testOptions({
        serverUrl: server.url,
      }),
    );
    try {
      await client.connect();
      expect(client.transportKind).toBe('sse');
      const result = await client.callTool('echo', { message: 'over sse' });
      expect(JSON.stringify(result.content)).toContain('over sse');
    } finally {
      await client.close();
      await server.stop();
    }
  }, 60_000);
});
