// MCPStream fanned out across processes on Redis: one relay holds the MCP subscription, three
// consumer processes in two groups read the stream; one is killed mid-stream and restarted,
// and every event still reaches every group.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { RedisStreamBus } from '@tframex/mcp-redis';
import { MCPStream } from '@tframex/mcp-streams';
import { MCPTestClient, MockMCPServer } from '@tframex/mcp-testing';
import { startRedis } from '@tframex/test-services';
import { expect, it } from 'vitest';

const script = fileURLToPath(new URL('./stream-consumer.ts', import.meta.url));
const tsx = createRequire(import.meta.url).resolve('tsx');

interface Seen {
  consumer: string;
  id: number;
}

function startConsumer(
  url: string,
  group: string,
  consumer: string,
  delayMs: number,
  seen: Seen[],
) {
  const child = spawn(
    process.execPath,
    [
      '--conditions=@tframex/source',
      '--import',
      tsx,
      script,
      url,
      group,
      consumer,
      String(delayMs),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        if (line === 'ready') resolve();
        else if (line.startsWith('{')) seen.push(JSON.parse(line) as Seen);
      }
    });
    void exited.then(() => reject(new Error(`${consumer} exited: ${stderr}`)));
  });
  ready.catch(() => undefined);
  return { child, ready, exited };
}

async function stop(child: ChildProcess, exited: Promise<void>, signal: NodeJS.Signals) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill(signal);
  await exited;
}

it('one upstream subscription, three consumer processes, one killed and restarted: nothing lost', async () => {
  const redis = await startRedis();
  const server = new MockMCPServer({ name: 'shop' });
  server.addTool('place-orders', async ({ from, to }, context) => {
    for (let id = Number(from); id <= Number(to); id++) {
      await context.sdk.mcpReq.notify({
        method: 'notifications/orders',
        params: { type: 'order_placed', data: { id } },
      });
    }
    return 'placed';
  });
  const client = new MCPTestClient(server, { name: 'shop' });
  const bus = new RedisStreamBus({ url: redis.url, onError: () => undefined });
  const seen: Seen[] = [];
  const children: ReturnType<typeof startConsumer>[] = [];
  try {
    const relay = await new MCPStream({
      client,
      bus,
      uri: 'mcp://shop/notifications/orders',
    }).relay();
    let victim = startConsumer(redis.url, 'audit', 'audit-1', 100, seen);
    children.push(victim, startConsumer(redis.url, 'audit', 'audit-2', 0, seen));
    children.push(startConsumer(redis.url, 'billing', 'billing-1', 0, seen));
    await Promise.all(children.map((c) => c.ready));

    await client.callTool('place-orders', { from: 1, to: 30 });
    await expect.poll(() => seen.some((s) => s.consumer === 'audit-1')).toBe(true);
    await stop(victim.child, victim.exited, 'SIGKILL');
    await client.callTool('place-orders', { from: 31, to: 60 });
    victim = startConsumer(redis.url, 'audit', 'audit-1', 0, seen);
    children.push(victim);
    await victim.ready;
    await client.callTool('place-orders', { from: 61, to: 90 });

    const ids = (prefix: string) =>
      new Set(seen.filter((s) => s.consumer.startsWith(prefix)).map((s) => s.id));
    await expect.poll(() => ids('audit').size, { timeout: 60_000 }).toBe(90);
    await expect.poll(() => ids('billing').size, { timeout: 60_000 }).toBe(90);
    expect(relay.published).toBe(90);
    expect(relay.dropped).toBe(0);
    await relay.stop();
  } finally {
    await Promise.all(children.map((c) => stop(c.child, c.exited, 'SIGTERM')));
    await bus.close();
    await client.close();
    await server.stop();
    await redis.stop();
  }
});
